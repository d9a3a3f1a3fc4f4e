/**
 * The CLI's start-up cost, whole process: `chaos --version`, `chaos --help` and `chaos validate` of the largest
 * shipped experiment, beside `node -e 0` measured in the same run. Each round runs every command once, in turn
 * (interleaved, so a busy moment of the machine hits all alike); the figures are the medians over the rounds.
 *
 *   npm run bench:cli                 (builds first)
 *   ROUNDS=20 npm run bench:cli
 *
 * Wall time is measured here around the child (spawn to exit). Peak RSS and CPU time (user + system) are the
 * child's as GNU time reports them (`/usr/bin/time -f '%M %U %S'`: the kernel's ru_maxrss in KiB and rusage times
 * of the waited-for child); time wraps every command alike, `node -e 0` included, so its own small cost is in the
 * baseline too. Goals (issue 17): each chaos command ≤ 0.3 s wall and ≤ 80 MiB peak. The ratios to `node -e 0`
 * are printed because the machine is shared: they hold better than absolute figures when it is loaded, and CPU
 * time holds better than wall time (a process waiting for a core is not charged for the wait).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'dist', 'bin.js');
const TIME = '/usr/bin/time';
const ROUNDS = Math.max(3, Number(process.env.ROUNDS ?? 10));
const GOAL = { wallSeconds: 0.3, peakMiB: 80 };

interface Command {
  label: string;
  args: string[];
  baseline?: true;
}

interface Sample {
  wallSeconds: number;
  cpuSeconds: number;
  peakMiB: number;
}

/** The largest experiment file shipped in experiments/ (by size), so validate reads the most there is. */
function largestExperiment(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.yaml')) files.push(path);
    }
  };
  walk(join(ROOT, 'experiments'));
  files.sort((a, b) => statSync(b).size - statSync(a).size || a.localeCompare(b));
  return files[0]!;
}

function runOnce(command: Command, scratch: string): Sample {
  const report = join(scratch, 'time.txt');
  const started = process.hrtime.bigint();
  const child = spawnSync(TIME, ['-f', '%M %U %S', '-o', report, process.execPath, ...command.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    throw new Error(`${command.label} exited with ${child.status}: ${child.stderr.toString().slice(0, 2000)}`);
  }
  // GNU time writes the figures on the last line (an earlier line may say the command was signalled).
  const [kib, user, system] = readFileSync(report, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wallSeconds, cpuSeconds: user! + system!, peakMiB: kib! / 1024 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function main(): void {
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed for the peak RSS: apt-get install time`);
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build`);
  const experiment = largestExperiment();
  const commands: Command[] = [
    { label: 'node -e 0', args: ['-e', '0'], baseline: true },
    { label: 'chaos --version', args: [BIN, '--version'] },
    { label: 'chaos --help', args: [BIN, '--help'] },
    { label: `chaos validate ${relative(ROOT, experiment)}`, args: [BIN, 'validate', experiment] },
  ];
  const samples = new Map<Command, Sample[]>(commands.map((c) => [c, []]));
  const scratch = mkdtempSync(join(tmpdir(), 'chaos-bench-cli-'));
  const loadBefore = loadavg()[0]!;
  try {
    // One unmeasured round warms the file cache for every command alike.
    for (const command of commands) runOnce(command, scratch);
    for (let round = 0; round < ROUNDS; round++) {
      for (const command of commands) samples.get(command)!.push(runOnce(command, scratch));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const loadAfter = loadavg()[0]!;

  const baseline = samples.get(commands[0]!)!;
  const base = { wall: median(baseline.map((s) => s.wallSeconds)), cpu: median(baseline.map((s) => s.cpuSeconds)), peak: median(baseline.map((s) => s.peakMiB)) };
  console.log(`chaos CLI start-up, whole process, median of ${ROUNDS} interleaved rounds (node ${process.version}, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${availableParallelism()} CPUs)`);
  console.log(`peak RSS and CPU (user + system): ${TIME} -f '%M %U %S' (rusage of the child; CPU in steps of 10 ms)`);
  console.log('');
  const rows = commands.map((command) => {
    const own = samples.get(command)!;
    const wall = median(own.map((s) => s.wallSeconds));
    const cpu = median(own.map((s) => s.cpuSeconds));
    const peak = median(own.map((s) => s.peakMiB));
    const met = command.baseline ? '' : wall <= GOAL.wallSeconds && peak <= GOAL.peakMiB ? 'yes' : 'NO';
    return [
      command.label,
      `${wall.toFixed(3)} s`,
      `${(wall / base.wall).toFixed(2)}×`,
      `${cpu.toFixed(2)} s`,
      `${(cpu / base.cpu).toFixed(2)}×`,
      `${peak.toFixed(1)} MiB`,
      `${(peak / base.peak).toFixed(2)}×`,
      met,
    ];
  });
  const header = ['command', 'wall', 'vs node', 'cpu', 'vs node', 'peak RSS', 'vs node', `goal ≤ ${GOAL.wallSeconds} s, ≤ ${GOAL.peakMiB} MiB`];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

main();
