// A JSON Lines file (gzip-compressed or not) as batches of raw line bytes, for the verifier's fast path: the file
// is read in 2 MiB chunks into one reused buffer (or the worker's, see ChunkBuffers), lines are located by offsets
// and decoded only when the fast path does not take them. lineEvent() turns any line into exactly the event readJsonl (src/core/ingest/jsonlReader.ts)
// gives for it, and the other events (oversize lines, a gzip stream that breaks off) are the same too: line
// numbers, skip reasons and blank lines do not depend on which path reads a line.
//
// Each line is also checked for bytes below 0x20 (four bytes at a time; a CRLF's CR does not count) and each chunk
// for valid UTF-8 (one call for all its lines): the two things canonicalLine.ts leaves to its caller. A line that
// fails either is not `clean` and takes the full path.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { parseJsonText } from '../ingest/jsonlReader';
import { DEFAULT_MAX_LINE_BYTES, isGzipFile, openByteStream, unreadableReason } from '../ingest/lineReader';
import type { ReadEvent } from '../ingest/readerTypes';

/**
 * How much each read asks for: small enough that a chunk is still in the CPU's cache when the worker hashes it
 * (measured faster than 4 or 16 MiB on the benchmark export), large enough that reads and messages are few.
 */
export const BATCH_CHUNK_BYTES = 2 * 1024 * 1024;
/** At most this many lines per batch (a chunk of empty lines must not become millions of entries at once). */
const MAX_BATCH_LINES = 65_536;

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Flags of a line in a batch. */
export const LINE_CLEAN = 1; // no byte below 0x20 (but a CRLF's CR) and valid UTF-8
export const LINE_OVERSIZE = 2; // longer than maxLineBytes: not read

/** Lines first..first+count-1 of the file, all in `buf`. Buffer and arrays are reused: read a batch before asking for the next. */
export interface LineBatch {
  buf: Buffer;
  /** Content offset of buf[0] (decompressed bytes for gzip). */
  base: number;
  /** Line number of the first line. */
  first: number;
  count: number;
  /** Line i is buf[start[i], end[i]): without its newline and without the CR of a CRLF. */
  start: Int32Array;
  end: Int32Array;
  /** Bytes of line i as readJsonl counts them (a trailing CR included). */
  length: Float64Array;
  flags: Uint8Array;
}

export type BatchItem = { batch: LineBatch } | { event: ReadEvent };

/**
 * Where the reader gets the buffers it reads into, and what it does with a buffer it is done with. By default one
 * buffer is reused; verify.ts hands finished buffers to its worker instead (chunkWorker.ts), which hashes the
 * file's bytes from them. Every byte of the file is in exactly one released range, in order.
 */
export interface ChunkBuffers {
  /** A buffer of at least `min` bytes, at offset 0 of its own memory. */
  acquire(min: number): Promise<Buffer>;
  /** The reader is done with `buf`; bytes [from, to) of it were read from the file and were in no earlier buffer. */
  release(buf: Buffer, from: number, to: number): void;
  /** The reader is done with `buf` and nothing in it needs anything (a buffer it outgrew). */
  discard(buf: Buffer): void;
}

/** One buffer, reused. */
function reusedBuffer(): ChunkBuffers {
  let kept: Buffer | null = null;
  return {
    acquire: async (min) => (kept && kept.length >= min ? kept : (kept = Buffer.allocUnsafeSlow(min))),
    release: () => undefined,
    discard: () => undefined,
  };
}

/** The event readJsonl gives for a line (its bytes without the newline and without a CRLF's CR). */
export function lineEvent(buf: Buffer, start: number, end: number, line: number, byteOffset: number, byteLength: number): ReadEvent {
  let text = buf.toString('utf8', start, end);
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const loc = { line, byteOffset, byteLength };
  if (text.trim() === '') return { kind: 'blank', loc };
  const parsed = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return parsed.ok ? { kind: 'value', value: parsed.value, loc } : { kind: 'skip', loc, reason: parsed.reason };
}

/** The event readJsonl gives for a line longer than the limit. */
export function oversizeEvent(line: number, byteOffset: number, byteLength: number, max: number): ReadEvent {
  return { kind: 'skip', loc: { line, byteOffset, byteLength }, reason: `line is ${byteLength} bytes, over the limit of ${max} bytes per value` };
}

/** True when buf[s, e) has a byte below 0x20; `words` views the same bytes (buf.byteOffset is 0). */
function hasControlByte(buf: Buffer, words: Int32Array, s: number, e: number): boolean {
  // Bytes up to the first 4-byte-aligned word, whole words (two at a time), the bytes after.
  let i = s;
  const head = Math.min(e, s + ((4 - (s & 3)) & 3));
  for (; i < head; i++) if (buf[i] < 0x20) return true;
  let k = i >> 2;
  const kEnd = e >> 2;
  for (; k + 1 < kEnd; k += 2) {
    const x = words[k];
    const y = words[k + 1];
    // "Has a byte less than 0x20", on four bytes at once, for two words.
    if (((((x - 0x20202020) | 0) & ~x) | (((y - 0x20202020) | 0) & ~y)) & 0x80808080) return true;
  }
  if (k < kEnd) {
    const x = words[k];
    if ((((x - 0x20202020) | 0) & ~x & 0x80808080) !== 0) return true;
    k++;
  }
  for (i = Math.max(i, k * 4); i < e; i++) if (buf[i] < 0x20) return true;
  return false;
}

/** Reads the content (gunzipped when gzip) into a caller's buffer. */
interface Filler {
  /** Fills buf[at, at + max) with up to max bytes; 0 at the end. Throws as the stream does. */
  read(buf: Buffer, at: number, max: number): Promise<number>;
  close(): void;
}

async function openFiller(path: string, chunkBytes: number, onProgress?: (n: number) => void): Promise<Filler> {
  if (!isGzipFile(path)) {
    const fh = await fs.promises.open(path, 'r');
    let total = 0;
    return {
      async read(buf, at, max) {
        const { bytesRead } = await fh.read(buf, at, max, null);
        total += bytesRead;
        if (bytesRead > 0) onProgress?.(total);
        return bytesRead;
      },
      close: () => void fh.close().catch(() => undefined),
    };
  }
  const stream = openByteStream(path, chunkBytes, onProgress);
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let chunk: Buffer | null = null;
  let pos = 0;
  return {
    async read(buf, at, max) {
      if (chunk === null || pos >= chunk.length) {
        const next = await it.next();
        if (next.done) return 0;
        chunk = next.value;
        pos = 0;
      }
      const n = Math.min(max, chunk.length - pos);
      chunk.copy(buf, at, pos, pos + n);
      pos += n;
      return n;
    },
    close: () => stream.destroy(),
  };
}

/**
 * The lines of a JSON Lines file in batches, with the events readJsonl would give for oversize lines and for a
 * gzip stream that breaks off. `onProgress` gets the bytes read from disk (compressed bytes for gzip).
 */
export async function* readJsonlBatches(
  path: string,
  options: { maxLineBytes?: number; chunkBytes?: number; onProgress?: (bytesRead: number) => void; buffers?: ChunkBuffers } = {},
): AsyncGenerator<BatchItem> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const chunkBytes = options.chunkBytes ?? BATCH_CHUNK_BYTES;
  const buffers = options.buffers ?? reusedBuffer();
  const filler = await openFiller(path, chunkBytes, options.onProgress);
  let buf = await buffers.acquire(chunkBytes); // its own memory, at offset 0
  let words = new Int32Array(buf.buffer, 0, buf.length >> 2);
  let fresh = 0; // buf[0, fresh) came from the buffer before (already released with it)
  const batch: LineBatch = {
    buf,
    base: 0,
    first: 1,
    count: 0,
    start: new Int32Array(MAX_BATCH_LINES),
    end: new Int32Array(MAX_BATCH_LINES),
    length: new Float64Array(MAX_BATCH_LINES),
    flags: new Uint8Array(MAX_BATCH_LINES),
  };
  let filled = 0; // bytes in buf; buf[0] always starts a line
  let base = 0; // content offset of buf[0]
  let line = 0; // lines finished
  let skipping = -1; // while an oversize line is being skipped: its bytes so far (none of them kept)
  /** Done with buf: the next buffer, holding buf[keepFrom, filled) at its start. */
  const next = async (keepFrom: number): Promise<{ buf: Buffer; words: Int32Array; fresh: number }> => {
    const rest = filled - keepFrom;
    const nb = await buffers.acquire(chunkBytes);
    if (nb === buf) buf.copyWithin(0, keepFrom, filled);
    else {
      buf.copy(nb, 0, keepFrom, filled);
      buffers.release(buf, fresh, filled);
    }
    return { buf: nb, words: nb === buf ? words : new Int32Array(nb.buffer, 0, nb.length >> 2), fresh: rest };
  };
  try {
    for (;;) {
      let n: number;
      try {
        n = await filler.read(buf, filled, buf.length - filled);
      } catch (err) {
        const reason = unreadableReason(err);
        if (reason === null) throw err;
        // The stream broke off inside line `line + 1`: what was read of it is lost, as readJsonl reports it.
        const loc = skipping >= 0 ? { line: line + 1, byteOffset: base - skipping, byteLength: skipping + filled } : { line: line + 1, byteOffset: base, byteLength: filled };
        yield { event: { kind: 'skip', loc, reason } };
        return;
      }
      if (n === 0) break;
      const scanFrom = filled;
      filled += n;
      let from = 0;
      if (skipping >= 0) {
        const nl = buf.indexOf(NEWLINE, scanFrom);
        if (nl < 0 || nl >= filled) {
          skipping += filled;
          base += filled;
          ({ buf, words, fresh } = await next(filled));
          filled = 0;
          continue;
        }
        line += 1;
        yield { event: oversizeEvent(line, base - skipping, skipping + nl, max) };
        skipping = -1;
        from = nl + 1;
      }
      // The complete lines in buf[from, filled), a batch at a time.
      for (;;) {
        batch.buf = buf;
        batch.base = base;
        batch.first = line + 1;
        let count = 0;
        while (count < MAX_BATCH_LINES) {
          const nl = buf.indexOf(NEWLINE, from);
          if (nl < 0 || nl >= filled) break;
          const raw = nl - from;
          const end = nl > from && buf[nl - 1] === CR ? nl - 1 : nl;
          batch.start[count] = from;
          batch.end[count] = end;
          batch.length[count] = raw;
          batch.flags[count] = raw > max ? LINE_OVERSIZE : hasControlByte(buf, words, from, end) ? 0 : LINE_CLEAN;
          count += 1;
          from = nl + 1;
        }
        if (count === 0) break;
        batch.count = count;
        line += count;
        // One UTF-8 check for all the lines (a newline cannot be inside a UTF-8 sequence), line by line only if it fails.
        if (!isUtf8(buf.subarray(batch.start[0], batch.end[count - 1]))) {
          for (let k = 0; k < count; k++) if (batch.flags[k] === LINE_CLEAN && !isUtf8(buf.subarray(batch.start[k], batch.end[k]))) batch.flags[k] = 0;
        }
        yield { batch };
        if (count < MAX_BATCH_LINES) break;
      }
      // What is left is the start of a line: move it to the front, or skip it when it is already too long.
      const rest = filled - from;
      if (rest > max) {
        skipping = rest;
        base += filled;
        ({ buf, words, fresh } = await next(filled));
        filled = 0;
        continue;
      }
      if (from === 0 && filled === buf.length) {
        const bigger = await buffers.acquire(buf.length * 2); // one line fills the buffer
        buf.copy(bigger, 0, 0, filled);
        buffers.discard(buf);
        buf = bigger;
        words = new Int32Array(buf.buffer, 0, buf.length >> 2);
        continue;
      }
      if (from > 0) {
        ({ buf, words, fresh } = await next(from));
        base += from;
        filled = rest;
      }
    }
    if (skipping >= 0) {
      yield { event: oversizeEvent(line + 1, base - skipping, skipping + filled, max) };
    } else if (filled > 0) {
      // The last line has no newline.
      const end = buf[filled - 1] === CR ? filled - 1 : filled;
      yield { event: filled > max ? oversizeEvent(line + 1, base, filled, max) : lineEvent(buf, 0, end, line + 1, base, filled) };
    }
    buffers.release(buf, fresh, filled);
  } finally {
    filler.close();
  }
}
