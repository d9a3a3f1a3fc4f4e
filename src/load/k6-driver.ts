/**
 * Load from k6: spawns `k6 run --out json=<run dir>/k6-points.json <script>` and follows that file as k6 writes it,
 * putting each `http_req_duration` point (one per request, with its status and latency) on the timeline.
 * `http_reqs` and `http_req_failed` points are counted as a cross-check of what the timeline recorded.
 * Stopped with SIGINT, as k6 expects for a graceful stop (it flushes its last points), SIGKILL 10 s later.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../errors.js';
import type { Json } from '../json.js';
import type { Logger } from '../logger.js';
import type { LoadRecorder } from '../measure/timeline.js';
import { parseK6Line } from './k6-points.js';
import type { K6Load } from '../experiment/load-schema.js';
import type { LoadDriver } from './load-driver.js';

const FOLLOW_INTERVAL_MS = 100;
const STOP_GRACE_MS = 10_000;
const READ_CHUNK = 256 * 1024;

export interface K6DriverOptions {
  /** Where the points file goes (the run folder). */
  workDir: string;
  /** The directory the script path is relative to. */
  cwd: string;
  logger: Logger;
}

export function k6Driver(config: K6Load, timeline: LoadRecorder, options: K6DriverOptions): LoadDriver {
  const pointsFile = join(options.workDir, 'k6-points.json');
  let child: ChildProcess | null = null;
  let exited: Promise<{ code: number | null; signal: string | null }> = Promise.resolve({ code: null, signal: null });
  let follower: NodeJS.Timeout | undefined;
  let handle: FileHandle | null = null;
  let offset = 0;
  let partial = '';
  let reading: Promise<void> = Promise.resolve();
  const counts = { requests: 0, httpReqs: 0, httpReqFailed: 0, droppedIterations: 0 };
  let stopped: Promise<Json> | null = null;

  const readNew = async (): Promise<void> => {
    handle ??= await open(pointsFile, 'r').catch(() => null);
    if (!handle) return;
    const buffer = Buffer.alloc(READ_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, offset);
      if (bytesRead === 0) return;
      offset += bytesRead;
      const lines = (partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const point = parseK6Line(line);
        if (!point) continue;
        if (point.metric === 'http_req_duration') {
          counts.requests++;
          timeline.record(point.request.at, point.request.kind, point.request.latencyMs);
        } else if (point.metric === 'dropped_iterations') {
          counts.droppedIterations += point.value;
          timeline.recordDropped(point.at, point.value);
        } else if (point.metric === 'http_reqs') counts.httpReqs += point.value;
        else counts.httpReqFailed += point.value;
      }
    }
  };
  const follow = () => {
    reading = reading.then(readNew).catch((e: unknown) => options.logger.warn(`k6: reading ${pointsFile}: ${String(e)}`));
  };

  return {
    name: 'k6',
    async start() {
      const args = ['run', '--quiet', '--out', `json=${pointsFile}`, ...Object.entries(config.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), ...config.args, config.script];
      const spawned = spawn(config.binary, args, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
      child = spawned;
      let stderr = '';
      spawned.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
      exited = new Promise((resolve) => spawned.on('close', (code, signal) => resolve({ code, signal })));
      await new Promise<void>((resolve, reject) => {
        spawned.once('spawn', resolve);
        spawned.once('error', (error: NodeJS.ErrnoException) => {
          reject(
            new ChaosError(
              error.code === 'ENOENT' ? `k6 is not installed: "${config.binary}" was not found on the PATH` : `cannot start k6 (${config.binary}): ${error.message}`,
              {
                code: 'E_K6_NOT_FOUND',
                exitCode: ExitCode.Infrastructure,
                hint: 'install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/), set `load.binary`, or use `load: { type: autocannon }`',
              },
            ),
          );
        });
      });
      void exited.then(({ code }) => {
        if (!stopped && code !== 0) options.logger.warn(`k6 exited early with code ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
      });
      follower = setInterval(follow, FOLLOW_INTERVAL_MS);
    },
    stop() {
      stopped ??= (async () => {
        const running = child;
        if (running && running.exitCode === null && running.signalCode === null) {
          running.kill('SIGINT');
          const killer = setTimeout(() => running.kill('SIGKILL'), STOP_GRACE_MS);
          await exited;
          clearTimeout(killer);
        }
        const exit = await exited;
        clearInterval(follower);
        follow();
        await reading;
        await handle?.close().catch(() => undefined);
        return { driver: 'k6', model: 'set by the script\'s executor', script: config.script, pointsFile, exitCode: exit.code, ...counts };
      })();
      return stopped;
    },
  };
}
