// Preloaded into the chaos binary by the fuzzer (node --import): every socket the process opens and every process
// it spawns is appended to $CHAOS_FUZZ_CONTACTS, so a run of an invalid file can be checked to have contacted nothing.
import dc from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';

const file = process.env.CHAOS_FUZZ_CONTACTS;
if (file) {
  dc.subscribe('net.client.socket', () => appendFileSync(file, 'socket\n'));
  dc.subscribe('child_process', (message) => appendFileSync(file, `process ${message?.process?.spawnfile ?? '?'}\n`));
}
