/**
 * Durable file writes for the ledger, the locks and the journal. "Durable" means: when the promise resolves, the
 * bytes (and the directory entry of a new file) have been handed to the disk with fsync, so a power loss or a
 * kill -9 right afterwards cannot lose them.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoCode } from '../errors.js';

/**
 * Fsyncs a directory so that a file created or renamed in it survives a crash. Platforms that cannot open a
 * directory for syncing (Windows) are skipped: there the rename itself is what we get.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    if (isCode(err, 'EISDIR', 'EPERM', 'EACCES')) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!isCode(err, 'EINVAL', 'EBADF', 'EPERM')) throw err;
  } finally {
    await handle.close();
  }
}

/**
 * Appends text to a file (creating it if needed) and fdatasyncs it. When the file is new, its directory is fsynced
 * too. With `repairTornLine`, a file whose last line was torn by a crash (no final newline) gets a newline first,
 * so the new line is never glued to the fragment.
 */
export async function appendDurably(path: string, text: string, options: { repairTornLine?: boolean } = {}): Promise<void> {
  const handle = await open(path, 'a');
  let created = false;
  try {
    const { size } = await handle.stat();
    created = size === 0;
    let prefix = '';
    if (options.repairTornLine && size > 0) {
      const last = Buffer.alloc(1);
      const reader = await open(path, 'r');
      try {
        await reader.read(last, 0, 1, size - 1);
      } finally {
        await reader.close();
      }
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.write(prefix + text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  if (created) await fsyncDirectory(dirname(path));
}

/** Creates a new file with the given content and fsyncs it and its directory; fails with EEXIST if it exists. */
export async function createDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.write(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fsyncDirectory(dirname(path));
}

/**
 * A temp file name next to `path` that no other writer uses: `<path>.<pid>-<random>.tmp`. The pid lets a cleanup
 * tell a write in progress from one whose writer died.
 */
export function tempNameFor(path: string): string {
  return `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Replaces a file atomically: readers see either the old or the new content, never a partial one. Writes a
 * private temp file, fsyncs it, renames it over `path`, and fsyncs the directory.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = tempNameFor(path);
  await writeAndSync(tmp, text);
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dirname(path));
}

async function writeAndSync(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.write(text);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

export function isCode(err: unknown, ...codes: string[]): boolean {
  const code = errnoCode(err);
  return typeof code === 'string' && codes.includes(code);
}
