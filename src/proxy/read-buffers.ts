/**
 * Buffers the proxy reads upstream data into (net's `onread`), sized to the stream: a connection starts with a
 * small buffer and grows it while reads fill it (up to 1 MiB), so a bulk transfer moves in few, large reads and
 * writes (fewer system calls and wake-ups per byte than Node's fixed 64 KiB reads), while an idle or chatty
 * connection holds only a small one. A buffer goes back to its pool once the bytes read into it were written on.
 * Profiled (node --cpu-prof, and CPU time per GB streamed): with Node's 64 KiB reads the proxy spent 1.4-2.1 CPU
 * seconds per GB (the real Toxiproxy 2.3), most of it in the write system calls of ~16 000 reads and writes per GB;
 * with these buffers it spends ~0.6 s per GB, reading ~1 MiB at a time.
 */

const MIN_SIZE = 4 << 10;
const MAX_SIZE = 1 << 20;
/** Bytes of spare buffers a pool keeps; more are left to the garbage collector. */
const KEEP_BYTES = 4 << 20;

export class ReadBufferPool {
  readonly #spare = new Map<number, Buffer[]>();
  #kept = 0;

  take(size: number): Buffer {
    const buffer = this.#spare.get(size)?.pop();
    if (buffer === undefined) return Buffer.allocUnsafe(size);
    this.#kept -= buffer.length;
    return buffer;
  }

  release(buffer: Buffer): void {
    if (this.#kept + buffer.length > KEEP_BYTES) return;
    let list = this.#spare.get(buffer.length);
    if (list === undefined) this.#spare.set(buffer.length, (list = []));
    list.push(buffer);
    this.#kept += buffer.length;
  }
}

/** The buffer size one socket reads into next, following how full its last reads were. */
export class ReadSizer {
  size = MIN_SIZE;

  /** A read of `n` bytes into a buffer of `capacity`: grow after a full read, shrink after a small one. */
  observe(n: number, capacity: number): void {
    if (n === capacity && this.size < MAX_SIZE) this.size = Math.min(MAX_SIZE, capacity * 4);
    else if (n < capacity / 8 && this.size > MIN_SIZE) this.size = Math.max(MIN_SIZE, capacity / 4);
  }
}
