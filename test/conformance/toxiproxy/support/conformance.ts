/**
 * The mocha side of the conformance suite: `describeConformance` starts the real and the embedded server once per
 * file (or skips the file, saying why, where the real binary is absent), and `differential` plays a scenario
 * against both and compares the transcripts.
 */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEchoServer, type TcpServer } from '../../../support/proxy-net.js';
import { Side } from './differential.js';
import { findRealToxiproxy, startEmbeddedToxiproxy, startRealToxiproxy, type ServerUnderTest } from './servers.js';

export const SKIP_REASON =
  'the real Toxiproxy server was not found (set TOXIPROXY_SERVER, or put it at ../shared/tools/toxiproxy-server): ' +
  'the conformance suite compares the embedded proxy with it and has nothing to compare against';

export interface Conformance {
  /** The real server's binary (set once the suite runs). */
  binary: string;
  real: ServerUnderTest;
  embedded: ServerUnderTest;
  /** An echo server both sides' proxies may forward to (the same one, so upstream addresses are equal). */
  echo: TcpServer;
  /** A test that plays `scenario` on the real server, then on the embedded one, and compares the transcripts. */
  differential(title: string, scenario: (side: Side) => Promise<void>): void;
  /** Runs `measure` on each side (real first) with a clean server; the test compares the results itself. */
  both<T>(measure: (side: Side) => Promise<T>): Promise<{ real: T; embedded: T }>;
}

export function describeConformance(title: string, body: (suite: Conformance) => void): void {
  describe(title, function () {
    const suite = { binary: '' } as Conformance;

    before(async function () {
      const binary = findRealToxiproxy();
      if (binary === null) {
        console.log(`    skipped: ${SKIP_REASON}`);
        this.skip();
      }
      suite.binary = binary;
      [suite.real, suite.embedded, suite.echo] = await Promise.all([startRealToxiproxy(binary), startEmbeddedToxiproxy(), startEchoServer()]);
    });
    after(async () => {
      await Promise.all([suite.real?.close(), suite.embedded?.close(), suite.echo?.close()]);
    });

    suite.both = async <T>(measure: (side: Side) => Promise<T>) => {
      const results: Partial<Record<'real' | 'embedded', T>> = {};
      for (const kind of ['real', 'embedded'] as const) {
        if (kind === 'real' && !suite.real.alive()) suite.real = await startRealToxiproxy(suite.binary);
        const side = new Side(suite[kind]);
        try {
          await side.clean();
          results[kind] = await measure(side);
        } finally {
          if (side.server.alive()) await side.clean();
        }
        if (!side.server.alive()) throw new Error(`the ${kind} server died during the test:\n${side.server.log().slice(-3000)}`);
      }
      return results as { real: T; embedded: T };
    };

    suite.differential = (testTitle, scenario) => {
      it(testTitle, async () => {
        const transcripts = await suite.both(async (side) => {
          await scenario(side);
          return side.transcript;
        });
        dumpTranscripts(testTitle, transcripts);
        expect(transcripts.embedded).to.deep.equal(transcripts.real);
      });
    };

    body(suite);
  });
}

/** CONFORMANCE_DUMP=dir writes both transcripts of each differential test there, to read a difference whole. */
function dumpTranscripts(title: string, transcripts: Record<'real' | 'embedded', unknown>): void {
  const dir = process.env.CONFORMANCE_DUMP;
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  const slug = title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  for (const kind of ['real', 'embedded'] as const) {
    writeFileSync(join(dir, `${slug}.${kind}.json`), `${JSON.stringify(transcripts[kind], null, 1)}\n`);
  }
}
