// A worker thread that shares the hashing with the verifier's thread. The chunks a JSON Lines file is read into are
// handed to it once the verifier is done with them (transferred, not copied), and it
//   * hashes the file's bytes (the export's SHA-256 for the report), so the file is not read a second time;
//   * confirms record hashes the fast path took on trust: the verifier checks that a line is canonical and reads
//     its stored hash, and leaves SHA-256 of the canonical text to the worker. Every such hash must come out equal
//     to the stored one; if even one does not, verify.ts throws the pass away and reads the log again hashing every
//     record itself (so a report never rests on a hash nobody computed);
//   * computes the Merkle leaves (RFC 6962: SHA-256(0x00 ‖ canonical text)) and the tree's right edge, exactly as
//     CompactRange does (merkle.ts; a unit test compares them), when the root is wanted but not while streaming.
// Canonical texts are named by their place in a chunk (the usual layout: the line from its '{' up to the comma
// before the members left out, then '}') or copied to a side buffer (any other record).
import { Worker } from 'node:worker_threads';

/** Chunks handed over and not yet done before the verifier waits for the worker. */
const MAX_IN_FLIGHT = 3;
/** Bytes of side texts (records read by the full path) collected before they are sent on their own. */
const SIDE_FLUSH_BYTES = 8 * 1024 * 1024;

/** Spec kinds, [kind, a, b, c] each. */
const LEAF_SLICE_CLOSE = 0; // leaf of chunk[a, b) + '}' (chunk[b] is a ',')
const LEAF_SIDE = 1; // leaf of side[a + 1, b) (side[a] is 0x00)
const HASH_SLICE_CLOSE = 2; // record hash of chunk[a, b) + '}' must equal the hex digits at chunk[c, …)

// Plain CommonJS run by the worker (eval), so it needs no file of its own next to the bundle.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const oneShotOf = (alg) => (typeof crypto.hash === 'function' ? (data) => crypto.hash(alg, data, 'buffer') : (data) => crypto.createHash(alg).update(data).digest());
const sha256 = oneShotOf('sha256');
const recordHashes = new Map();
const fileHashes = new Map();
const edge = [];
const sizes = [];
let count = 0;
let mismatches = 0;
const scratch = Buffer.alloc(65);
scratch[0] = 1;
const node = (l, r) => { l.copy(scratch, 1); r.copy(scratch, 33); return sha256(scratch); };
const append = (leaf) => {
  let h = leaf;
  let s = 1;
  while (sizes.length > 0 && sizes[sizes.length - 1] === s) { h = node(edge.pop(), h); s += sizes.pop(); }
  edge.push(h);
  sizes.push(s);
  count += 1;
};
const hexDigit = (c) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -256);
parentPort.on('message', (m) => {
  if (m.type === 'chunk') {
    const buf = m.buffer ? Buffer.from(m.buffer) : null;
    if (buf && m.hashTo > m.hashFrom) {
      let h = fileHashes.get(m.file);
      if (!h) fileHashes.set(m.file, (h = crypto.createHash('sha256')));
      h.update(buf.subarray(m.hashFrom, m.hashTo));
    }
    const side = m.side ? Buffer.from(m.side) : null;
    const spec = new Int32Array(m.specs, 0, 4 * m.specCount);
    let recordHash = recordHashes.get(m.algorithm);
    if (!recordHash) recordHashes.set(m.algorithm, (recordHash = oneShotOf(m.algorithm)));
    for (let k = 0; k < m.specCount; k++) {
      const kind = spec[4 * k], a = spec[4 * k + 1], b = spec[4 * k + 2], c = spec[4 * k + 3];
      if (kind === ${LEAF_SIDE}) append(sha256(side.subarray(a, b)));
      else if (kind === ${HASH_SLICE_CLOSE}) {
        buf[b] = 0x7d;
        const d = recordHash(buf.subarray(a, b + 1));
        buf[b] = 0x2c;
        for (let i = 0; i < d.length; i++) {
          if (((hexDigit(buf[c + 2 * i]) << 4) | hexDigit(buf[c + 2 * i + 1])) !== d[i]) {
            mismatches += 1;
            break;
          }
        }
      } else if (a > 0) {
        const before = buf[a - 1];
        buf[a - 1] = 0;
        buf[b] = 0x7d;
        append(sha256(buf.subarray(a - 1, b + 1)));
        buf[a - 1] = before;
        buf[b] = 0x2c;
      } else append(crypto.createHash('sha256').update(Buffer.from([0])).update(buf.subarray(a, b)).update(Buffer.from([0x7d])).digest());
    }
    const back = [m.specs];
    if (m.buffer) back.push(m.buffer);
    if (m.side) back.push(m.side);
    parentPort.postMessage({ type: 'done', buffer: m.buffer, specs: m.specs, side: m.side }, back);
  } else if (m.type === 'finish') {
    let root = null;
    if (m.root) {
      let r = edge.length === 0 ? crypto.createHash('sha256').digest() : edge[edge.length - 1];
      for (let i = edge.length - 2; i >= 0; i--) r = node(edge[i], r);
      root = r.toString('hex');
    }
    const files = {};
    for (const [f, h] of fileHashes) files[f] = h.digest('hex');
    parentPort.postMessage({ type: 'result', files, root, size: count, mismatches });
  }
});
`;

export interface ChunkWorkerResult {
  /** SHA-256 (hex) of every file whose chunks were handed over whole, by file index. */
  files: Record<number, string>;
  /** The Merkle root over the leaves, when leaves were sent and the root asked for. */
  root: string | null;
  /** Leaves received. */
  size: number;
  /** Record hashes sent for confirmation that did not come out equal to the stored hash. */
  mismatches: number;
}

/** A growable Int32Array of 4-int records. */
class Specs {
  data: Int32Array;
  count = 0;
  constructor(data?: ArrayBuffer) {
    this.data = data ? new Int32Array(data) : new Int32Array(4 * 8192);
  }
  add(kind: number, a: number, b: number, c: number): void {
    if (4 * (this.count + 1) > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const at = 4 * this.count++;
    this.data[at] = kind;
    this.data[at + 1] = a;
    this.data[at + 2] = b;
    this.data[at + 3] = c;
  }
}

export class ChunkWorker {
  private readonly worker: Worker;
  private readonly freeChunks: Buffer[] = [];
  private readonly freeSides: Buffer[] = [];
  private readonly freeSpecs: ArrayBuffer[] = [];
  private chunksOut = 0;
  private inFlight = 0;
  private specs = new Specs();
  private side: Buffer | null = null;
  private sideUsed = 0;
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;
  private resultWaiter: { resolve: (r: ChunkWorkerResult) => void; reject: (e: Error) => void } | null = null;

  /** The record hash algorithm of the records sent to confirmHash (the profile's). */
  algorithm = 'sha256';

  /**
   * @param chunkBytes size of the buffers the reader reads into
   * Throws when no worker can be started.
   */
  constructor(private readonly chunkBytes: number) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.on('message', (m: { type: string; buffer?: ArrayBuffer; specs?: ArrayBuffer; side?: ArrayBuffer } & Partial<ChunkWorkerResult>) => {
      if (m.type === 'done') {
        this.inFlight -= 1;
        // Memory comes back to be filled again (fresh memory costs a page fault every 4 KiB).
        if (m.buffer) {
          this.chunksOut -= 1;
          if (m.buffer.byteLength === this.chunkBytes) this.freeChunks.push(Buffer.from(m.buffer));
        }
        if (m.side) this.freeSides.push(Buffer.from(m.side));
        if (m.specs) this.freeSpecs.push(m.specs);
        this.wake();
      } else if (m.type === 'result' && this.resultWaiter) {
        this.resultWaiter.resolve({ files: m.files ?? {}, root: m.root ?? null, size: m.size ?? 0, mismatches: m.mismatches ?? 0 });
        this.resultWaiter = null;
      }
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      this.wake();
      this.resultWaiter?.reject(this.failure);
      this.resultWaiter = null;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the verification worker stopped (exit code ${code})`)));
  }

  /** A buffer of at least `min` bytes (offset 0, its own memory) to read into; waits while too many are out. */
  async acquire(min: number): Promise<Buffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (min <= this.chunkBytes) {
        const free = this.freeChunks.pop();
        if (free) {
          this.chunksOut += 1;
          return free;
        }
      }
      if (this.chunksOut < MAX_IN_FLIGHT + 2 || min > this.chunkBytes) {
        this.chunksOut += 1;
        return Buffer.allocUnsafeSlow(Math.max(min, this.chunkBytes));
      }
      await this.idle();
    }
  }

  /** Gives a buffer back unused (nothing in it to hash or check). */
  discard(buf: Buffer): void {
    this.chunksOut -= 1;
    if (buf.length === this.chunkBytes) this.freeChunks.push(buf);
  }

  /**
   * The record whose canonical text is chunk[s, to) then '}' (chunk[to] is the ',' before the members left out)
   * claims the hash written in hex at chunk[hashAt, …): the worker computes it and counts it when it differs.
   */
  confirmHash(s: number, to: number, hashAt: number): void {
    this.specs.add(HASH_SLICE_CLOSE, s, to, hashAt);
  }

  /** A leaf: chunk[s, to) then '}', where chunk[to] is the ',' before the members left out of the hash. */
  leafInChunk(s: number, to: number): void {
    this.specs.add(LEAF_SLICE_CLOSE, s, to, 0);
  }

  /** Space for a leaf's canonical text of n bytes: write it at buffer[offset], then call commitSide(n). */
  reserveSide(n: number): { buffer: Buffer; offset: number } {
    const need = this.sideUsed + 1 + n;
    if (!this.side || need > this.side.length) {
      const reuse = this.freeSides.length > 0 && this.freeSides[this.freeSides.length - 1].length >= need ? this.freeSides.pop() : undefined;
      const bigger = reuse ?? Buffer.allocUnsafeSlow(Math.max(SIDE_FLUSH_BYTES * 2, need * 2));
      if (this.side) this.side.copy(bigger, 0, 0, this.sideUsed);
      this.side = bigger;
    }
    this.side[this.sideUsed] = 0x00;
    return { buffer: this.side, offset: this.sideUsed + 1 };
  }

  commitSide(n: number): void {
    this.specs.add(LEAF_SIDE, this.sideUsed, this.sideUsed + 1 + n, 0);
    this.sideUsed += 1 + n;
  }

  /** A leaf's canonical text, copied. */
  leafText(text: Buffer): void {
    const { buffer, offset } = this.reserveSide(text.length);
    text.copy(buffer, offset);
    this.commitSide(text.length);
  }

  /**
   * Hands a chunk over with what was collected for it; [hashFrom, hashTo) are the bytes read into it from file
   * `file` that no earlier chunk had (the export's hash). The chunk is not the caller's any more.
   */
  release(chunk: Buffer, file: number, hashFrom: number, hashTo: number): void {
    this.post(chunk, file, hashFrom, hashTo);
  }

  /** Sends what was collected without a chunk (leaves of other formats) once there is enough; waits while the worker is behind. */
  async flushSide(force = false): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.specs.count > 0 && (force || this.sideUsed >= SIDE_FLUSH_BYTES)) this.post(null, -1, 0, 0);
    while (this.inFlight > MAX_IN_FLIGHT + 1 && !this.failure) await this.idle();
    if (this.failure) throw this.failure;
  }

  /** Waits for everything handed over, then the file hashes, the Merkle root (when `root`) and the mismatches. */
  async finish(root: boolean): Promise<ChunkWorkerResult> {
    await this.flushSide(true);
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.resultWaiter = { resolve, reject };
      this.worker.postMessage({ type: 'finish', root });
    });
  }

  /** Stops the worker (always call it). */
  stop(): void {
    this.failure ??= new Error('stopped');
    this.worker.removeAllListeners();
    void this.worker.terminate();
  }

  private post(chunk: Buffer | null, file: number, hashFrom: number, hashTo: number): void {
    if (this.failure) return;
    const specs = this.specs;
    const side = this.side;
    const transfer: ArrayBuffer[] = [specs.data.buffer as ArrayBuffer];
    if (chunk) transfer.push(chunk.buffer as ArrayBuffer);
    if (side) transfer.push(side.buffer as ArrayBuffer);
    this.worker.postMessage(
      { type: 'chunk', buffer: chunk ? chunk.buffer : null, file, hashFrom, hashTo, specs: specs.data.buffer, specCount: specs.count, side: side ? side.buffer : null, algorithm: this.algorithm },
      transfer,
    );
    this.inFlight += 1;
    this.specs = new Specs(this.freeSpecs.pop());
    this.side = null;
    this.sideUsed = 0;
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => (this.waiting = resolve));
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }
}
