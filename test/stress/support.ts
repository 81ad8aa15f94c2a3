// Helpers shared by the hostile-input, fuzz and stress tests: temp files, streaming generators for files too big to
// hold in memory, an RSS sampler, reading every event of a reader, and checks every event must pass.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { ReadEvent, ReaderOptions, RecordReader } from '../../src/core/ingest/readerTypes';

/** True when the really heavy cases should run too (1 GB line, 10 M lines…): `AUDITLENS_STRESS=1`. */
export const STRESS = process.env.AUDITLENS_STRESS === '1';

/** fast-check runs per property: `AUDITLENS_FUZZ_RUNS=2000` for a longer fuzzing session. */
export const FUZZ_RUNS = Number(process.env.AUDITLENS_FUZZ_RUNS) || 100;

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

let tmpRoot: string | undefined;

/** A fresh path in this process's temp directory (removed at exit). */
export function tmpPath(name: string): string {
  if (!tmpRoot) {
    tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-hostile-'));
    const root = tmpRoot;
    process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return path.join(fs.mkdtempSync(path.join(tmpRoot, 'f-')), name);
}

export function tmpFile(name: string, content: string | Uint8Array): string {
  const file = tmpPath(name);
  fs.writeFileSync(file, content);
  return file;
}

/** Removes a (big) temp file right away instead of at exit. */
export function removeFile(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Writes `before`, then `size` bytes of `fill` generated in 1 MiB blocks (never held whole), then `after`. */
export function writeHugeFile(file: string, before: string, size: number, fill: number, after: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, before);
    const block = Buffer.alloc(MiB, fill);
    for (let left = size; left > 0; left -= block.length) fs.writeSync(fd, block, 0, Math.min(left, block.length));
    fs.writeSync(fd, after);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `line` `count` times, in blocks. */
export function writeRepeatedLines(file: string, line: string, count: number): void {
  const perBlock = Math.max(1, Math.floor(MiB / Buffer.byteLength(line)));
  const block = Buffer.from(line.repeat(perBlock));
  const fd = fs.openSync(file, 'w');
  try {
    let left = count;
    for (; left >= perBlock; left -= perBlock) fs.writeSync(fd, block);
    if (left > 0) fs.writeSync(fd, line.repeat(left));
  } finally {
    fs.closeSync(fd);
  }
}

/** Gzips `prefix` then `size` bytes of `fill` (streamed: never held whole) into `file`; returns the compressed size. */
export async function writeGzipBomb(file: string, size: number, fill: number, prefix = ''): Promise<number> {
  const block = Buffer.alloc(MiB, fill);
  async function* blocks() {
    if (prefix) yield Buffer.from(prefix);
    for (let left = size; left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left);
  }
  await pipeline(Readable.from(blocks()), zlib.createGzip({ level: 9 }), fs.createWriteStream(file));
  return fs.statSync(file).size;
}

/** A gzip bomb kept between runs (and shared with child processes) in the temp directory: made once, ~1 MB. */
export async function cachedGzipBomb(name: string, size: number, fill: number, prefix = ''): Promise<string> {
  const dir = path.join(os.tmpdir(), 'auditlens-stress-cache');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    const partial = `${file}.${process.pid}.part`;
    await writeGzipBomb(partial, size, fill, prefix);
    fs.renameSync(partial, file);
  }
  return file;
}

/** Samples the process RSS every few milliseconds (and whenever `sample()` is called) to find the peak. */
export class RssSampler {
  readonly baseline: number;
  peak: number;
  private timer: NodeJS.Timeout;

  constructor(everyMs = 5) {
    this.baseline = process.memoryUsage.rss();
    this.peak = this.baseline;
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  /** Stops sampling; the growth of the peak over the baseline, in bytes. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak - this.baseline;
  }
}

export const mb = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;

/** Prints a measurement under the test when AUDITLENS_STRESS=1 or AUDITLENS_MEASURE=1 (for docs/security.md). */
export function measured(what: string, rssGrowth: number, ms: number): void {
  if (STRESS || process.env.AUDITLENS_MEASURE === '1') console.log(`      [measured] ${what}: RSS +${mb(rssGrowth)}, ${ms} ms`);
}

/** Every event a reader yields for a file. */
export async function readAll(reader: RecordReader, file: string, options?: ReaderOptions): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const ev of reader(file, options)) out.push(ev);
  return out;
}

/** Counts events by kind without keeping them (for files with millions of lines); samples RSS on the way. */
export async function countAll(
  reader: RecordReader,
  file: string,
  options?: ReaderOptions,
  rss?: RssSampler,
): Promise<{ value: number; skip: number; blank: number; lastLine: number; skips: ReadEvent[] }> {
  const counts = { value: 0, skip: 0, blank: 0, lastLine: 0, skips: [] as ReadEvent[] };
  let n = 0;
  for await (const ev of reader(file, options)) {
    counts[ev.kind]++;
    counts.lastLine = ev.loc.line;
    if (ev.kind === 'skip' && counts.skips.length < 100) counts.skips.push(ev);
    if (rss && (++n & 0xfff) === 0) rss.sample();
  }
  return counts;
}

/** 1 + the number of LF bytes before `offset`: the line a byte offset is on. */
export function lineAt(content: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < content.length; i++) if (content[i] === 0x0a) line++;
  return line;
}

/**
 * The checks every event of every reader must pass on `content` (the decompressed bytes): a 1-based line, a byte
 * range inside the content, the line of its first byte, events in file order. `strict`: offsets strictly increase.
 */
export function assertSaneLocs(events: readonly ReadEvent[], content: Uint8Array | null, strict = true): void {
  let prev = -1;
  for (const ev of events) {
    const { line, byteOffset, byteLength } = ev.loc;
    const where = `${ev.kind} at line ${line}, offset ${byteOffset}, length ${byteLength}`;
    assert.ok(Number.isInteger(line) && line >= 1, `bad line: ${where}`);
    assert.ok(Number.isInteger(byteOffset) && byteOffset >= 0, `bad offset: ${where}`);
    assert.ok(Number.isInteger(byteLength) && byteLength >= 0, `bad length: ${where}`);
    if (content) {
      assert.ok(byteOffset + byteLength <= content.length, `range past the end (${content.length} bytes): ${where}`);
      assert.equal(line, lineAt(content, byteOffset), `line does not match the offset: ${where}`);
    }
    assert.ok(strict ? byteOffset > prev : byteOffset >= prev, `out of order: ${where} after offset ${prev}`);
    if (ev.kind === 'skip') assert.ok(typeof ev.reason === 'string' && ev.reason.length > 0, `skip without a reason: ${where}`);
    prev = byteOffset;
  }
}

/** Inflates as much of a (possibly truncated or corrupt) gzip buffer as can be, never throwing. */
export function gunzipLenient(data: Uint8Array): Buffer {
  try {
    return zlib.gunzipSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}
