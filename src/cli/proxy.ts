/**
 * `chaos proxy serve`: the embedded Toxiproxy-compatible proxy as a standalone server, like toxiproxy-server.
 * Runs until SIGINT/SIGTERM, then stops every proxy.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ChaosError, errnoCode, ExitCode, messageOf } from '../errors.js';
import { parseHostPort } from '../proxy/address.js';
import { ApiError } from '../proxy/api-error.js';
import { populateInput } from '../proxy/api-input.js';
import type { ProxyInput } from '../proxy/collection.js';
import { startToxiproxyServer } from '../proxy/server.js';
import { TOXIPROXY_API_VERSION } from '../proxy/version.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import type { GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import type { CommandBody } from './command.js';

interface ServeFlags extends GlobalFlags {
  listen: string;
  config?: string;
}

export function proxyCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return {
    builder: (y: Argv) =>
      withExamples(y, [['chaos proxy serve', 'a Toxiproxy-compatible server on 127.0.0.1:8474']])
        .command({
          command: 'serve',
          describe: `serve the Toxiproxy ${TOXIPROXY_API_VERSION} HTTP API and its proxies until SIGINT/SIGTERM`,
          builder: (s: Argv) =>
            withExamples(s, [
              ['chaos proxy serve', 'the API on 127.0.0.1:8474, as toxiproxy-server; toxiproxy-cli drives it'],
              ['chaos proxy serve --listen 127.0.0.1:0 --json', 'on a free port, announced as JSON'],
            ])
              .option('listen', { type: 'string', default: '127.0.0.1:8474', describe: 'host:port of the API (port 0: any free port)' })
              .option('config', { type: 'string', describe: 'a JSON file of proxies to create at start, as toxiproxy-server --config' }),
          handler: async (argv: unknown) => {
            const flags = argv as ServeFlags;
            const out = new Output(io, flags);
            try {
              setExit(await serve(io, out, flags));
            } catch (error) {
              setExit(reportError(out, error));
            }
          },
        })
        .demandCommand(1, 'name a subcommand: `chaos proxy serve`'),
    handler: () => undefined,
  };
}

async function serve(io: CliIo, out: Output, flags: ServeFlags): Promise<ExitCode> {
  const address = parseHostPort(flags.listen);
  if (address === null) {
    throw new ChaosError(`--listen "${flags.listen}" is not host:port`, {
      code: 'E_BAD_LISTEN',
      exitCode: ExitCode.InvalidInput,
      hint: 'write --listen 127.0.0.1:8474',
    });
  }
  const proxies = flags.config === undefined ? [] : await readConfig(resolve(io.cwd, flags.config));
  let server;
  try {
    server = await startToxiproxyServer({ host: address.host || '127.0.0.1', port: address.port, proxies });
  } catch (error) {
    throw new ChaosError(`cannot start the proxy server on ${flags.listen}: ${messageOf(error)}`, {
      code: 'E_PROXY_SERVE',
      exitCode: ExitCode.Infrastructure,
      hint: 'choose another --listen port, or stop what uses it',
      cause: error,
    });
  }
  out.data({ url: server.url, version: TOXIPROXY_API_VERSION, proxies: server.collection.list() });
  out.result(`Toxiproxy ${TOXIPROXY_API_VERSION}-compatible API listening on ${server.url}`);
  for (const proxy of server.collection.list()) out.info(`  proxy ${proxy.name}: ${proxy.listen} → ${proxy.upstream}`);
  if (!io.signal.aborted) await new Promise((done) => io.signal.addEventListener('abort', done, { once: true }));
  await server.close();
  out.info('stopped');
  return ExitCode.Ok;
}

async function readConfig(path: string): Promise<ProxyInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ChaosError(`cannot read --config ${path}: ${errnoCode(error) ?? error}`, {
      code: 'E_PROXY_CONFIG',
      exitCode: ExitCode.InvalidInput,
    });
  }
  try {
    const inputs = populateInput(JSON.parse(text) as unknown);
    inputs.forEach((p, i) => {
      if (p.name === '' || p.upstream === '') throw new ApiError(`proxy ${i + 1} needs a name and an upstream`, 400);
    });
    return inputs;
  } catch (error) {
    throw new ChaosError(`--config ${path}: ${messageOf(error)}`, {
      code: 'E_PROXY_CONFIG',
      exitCode: ExitCode.InvalidInput,
      hint: 'a JSON array of { "name", "listen", "upstream" }, as toxiproxy-server --config takes',
    });
  }
}
