// Streams the lines of a (possibly gzip-compressed) text file with their 1-based line numbers and byte offsets.
// Never buffers more than one line (bounded by maxLineBytes): a longer line is reported as oversize and skipped.
import fs from 'node:fs';
import nodePath from 'node:path';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';

export type LineEvent =
  | { kind: 'line'; line: number; byteOffset: number; byteLength: number; text: string }
  | { kind: 'oversize'; line: number; byteOffset: number; byteLength: number }
  /** The content stopped being readable inside this line (corrupt or truncated gzip data, a decompression bomb). */
  | { kind: 'unreadable'; line: number; byteOffset: number; byteLength: number; reason: string };

export interface LineReaderOptions {
  /** Lines longer than this many bytes are reported as `oversize` and not decoded. Default 64 MiB. */
  maxLineBytes?: number;
  /** Called with the number of bytes read from the file on disk (compressed bytes for gzip). */
  onProgress?: (bytesRead: number) => void;
  /** Read size. Default 4 MiB. */
  chunkBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** How much each read of a file asks for, unless a reader is told otherwise. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Readers feed a splitter each chunk read in slices of at most this many bytes: a splitter returns the events of
 * what it is fed as one array, and a 4 MiB read of newlines would otherwise be four million events held at once.
 */
export const SPLIT_SLICE_BYTES = 64 * 1024;

/** `chunk` in slices of at most SPLIT_SLICE_BYTES (views, not copies). */
export function* slices(chunk: Buffer): Generator<Buffer> {
  for (let i = 0; i < chunk.length; i += SPLIT_SLICE_BYTES) yield chunk.subarray(i, i + SPLIT_SLICE_BYTES);
}
const NEWLINE = 0x0a;
const CR = 0x0d;

/** True when the file starts with the gzip magic bytes 1f 8b. */
export function isGzipFile(path: string): boolean {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = fs.readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

// Decompression-bomb guard: a gzip stream stops with an UnreadableContentError once its output passes
// GZIP_RATIO_FLOOR_BYTES and is more than GZIP_MAX_RATIO times the compressed bytes the decompressor consumed so far.
// Real audit logs compress 5-50:1; deflate's maximum is about 1032:1 (long runs of one byte or a short pattern).
// A plain file has no such limit: decompressing the file by hand and opening that is the way around it.
export const GZIP_MAX_RATIO = 200;
export const GZIP_RATIO_FLOOR_BYTES = 4 * 1024 * 1024;

/** The content cannot be read on (a decompression bomb); readers report it as a skip, they do not throw it. */
export class UnreadableContentError extends Error {}

/**
 * Why reading stopped, when the cause is the content (corrupt or truncated gzip data, a decompression bomb): readers
 * turn it into a skip and keep what they read before. Null for an I/O error (missing, unreadable file): rethrown.
 */
export function unreadableReason(err: unknown): string | null {
  if (err instanceof UnreadableContentError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return `the gzip data is corrupt or truncated here (${(err as Error).message}); nothing after this point can be read`;
  }
  return null;
}

/** The content of a file as chunks; `destroy()` stops reading early. */
export interface ByteStream extends AsyncIterable<Buffer> {
  destroy(): void;
}

/**
 * A byte stream of the file's content, gunzipped when the file is gzip; onProgress counts bytes read from disk.
 * When gzip content breaks off (corrupt, truncated, a decompression bomb), every byte decompressed before the break
 * is delivered first and the error comes after the last of them: what a reader reports does not depend on timing.
 */
export function openByteStream(path: string, chunkBytes: number, onProgress?: (n: number) => void): ByteStream {
  const gzip = isGzipFile(path); // first: a missing file throws here, before any stream exists
  const file = fs.createReadStream(path, { highWaterMark: chunkBytes });
  if (onProgress) {
    let read = 0;
    file.on('data', (chunk) => {
      read += chunk.length;
      onProgress(read);
    });
  }
  if (!gzip) {
    return file;
  }
  const gunzip = zlib.createGunzip({ chunkSize: 1024 * 1024 });
  file.on('error', (err) => gunzip.destroy(err));
  file.pipe(gunzip);
  let out = 0;
  return inOrder(gunzip, (chunk) => {
    out += chunk.length;
    const consumed = gunzip.bytesWritten; // compressed bytes the decompressor has consumed so far
    if (out > GZIP_RATIO_FLOOR_BYTES && out > GZIP_MAX_RATIO * consumed) {
      return new UnreadableContentError(
        `${nodePath.basename(path)}: the gzip content expands to over ${out} bytes from ${consumed} compressed bytes, more than ` +
          `${GZIP_MAX_RATIO} times its compressed size (a decompression bomb?); reading stopped. Decompress the file yourself to read all of it.`,
      );
    }
    return null;
  }, () => file.destroy());
}

/**
 * The chunks of `source` in order, then its error if it failed: unlike iterating the stream itself, an error does
 * not discard chunks already decompressed. `check` may stop the stream at a chunk (that chunk is not delivered).
 * At most a few chunks wait in the queue (the source is paused meanwhile).
 */
function inOrder(source: Readable, check: (chunk: Buffer) => Error | null, stopInput: () => void): ByteStream {
  const queue: Buffer[] = [];
  let ended = false;
  let error: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const stop = (err: unknown) => {
    if (error === null && err) error = err;
    ended = true;
    notify();
  };
  source.on('data', (chunk: Buffer) => {
    if (ended) return;
    const err = check(chunk);
    if (err) {
      stop(err);
      source.destroy();
      stopInput();
      return;
    }
    queue.push(chunk);
    if (queue.length >= 4) source.pause();
    notify();
  });
  source.on('end', () => stop(null));
  source.on('error', (err) => stop(err));
  source.on('close', () => stop(null));
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = queue.shift();
        if (chunk) {
          if (queue.length < 2 && !ended) source.resume();
          yield chunk;
        } else if (ended) {
          if (error !== null) throw error;
          return;
        } else {
          await new Promise<void>((resolve) => (wake = resolve));
        }
      }
    },
    destroy: () => {
      ended = true;
      source.destroy();
      stopInput();
      notify();
    },
  };
}

/** Splits a byte stream into lines. Exported for tests that feed chunks directly. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private oversize = false;
  private lineNo = 0;
  private offset = 0; // byte offset of the start of the current line
  private lineStart = 0;

  constructor(private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {}

  /** Feeds a chunk; returns the complete lines it finished. */
  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.append(chunk.subarray(start));
        break;
      }
      this.append(chunk.subarray(start, nl));
      out.push(this.finishLine(1));
      start = nl + 1;
    }
    return out;
  }

  /** Reports the open line (possibly empty) as unreadable: the content cannot be read past it. */
  abort(reason: string): LineEvent {
    const event: LineEvent = { kind: 'unreadable', line: this.lineNo + 1, byteOffset: this.lineStart, byteLength: this.pendingBytes, reason };
    this.pending = [];
    this.pendingBytes = 0;
    this.oversize = false;
    return event;
  }

  /** Flushes the last line when the file does not end with a newline. */
  end(): LineEvent[] {
    if (this.pendingBytes === 0 && !this.oversize) {
      return [];
    }
    return [this.finishLine(0)];
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    if (this.oversize) {
      this.pendingBytes += part.length;
      return;
    }
    if (this.pendingBytes + part.length > this.maxLineBytes) {
      this.oversize = true;
      this.pending = [];
      this.pendingBytes += part.length;
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  private finishLine(terminatorBytes: number): LineEvent {
    this.lineNo += 1;
    const byteOffset = this.lineStart;
    const byteLength = this.pendingBytes;
    let event: LineEvent;
    if (this.oversize) {
      event = { kind: 'oversize', line: this.lineNo, byteOffset, byteLength };
    } else {
      let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
      if (buf.length > 0 && buf[buf.length - 1] === CR) buf = buf.subarray(0, buf.length - 1);
      let text = buf.toString('utf8');
      if (this.lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      event = { kind: 'line', line: this.lineNo, byteOffset, byteLength, text };
    }
    this.offset += byteLength + terminatorBytes;
    this.lineStart = this.offset;
    this.pending = [];
    this.pendingBytes = 0;
    this.oversize = false;
    return event;
  }
}

/** A byte splitter of a record container (JSON array elements, CSV rows) that may stop early. */
export interface RecordSplitter<E> {
  push(chunk: Buffer): E[];
  end(): E[];
  /** The events for a stream that broke off (a corrupt gzip), with the reason. */
  abort(reason: string): E[];
  /** True once the splitter needs no more input (a header it cannot read, content that is not its format). */
  readonly stopped: boolean;
}

/**
 * Feeds the file at `path` (gunzipped when gzip) to a splitter in small slices and yields its events; a stream that
 * breaks off for a content reason ends with the splitter's skip instead of an error.
 */
export async function* splitFile<E>(path: string, splitter: RecordSplitter<E>, chunkBytes: number, onProgress?: (n: number) => void): AsyncGenerator<E> {
  const stream = openByteStream(path, chunkBytes, onProgress);
  try {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const part of slices(chunk)) {
          yield* splitter.push(part);
          if (splitter.stopped) return;
        }
      }
    } catch (err) {
      const reason = unreadableReason(err);
      if (reason === null) throw err;
      yield* splitter.abort(reason);
      return;
    }
    yield* splitter.end();
  } finally {
    stream.destroy();
  }
}

/** Yields every line of the file at `path`, decompressing gzip transparently. */
export async function* readLines(path: string, options: LineReaderOptions = {}): AsyncGenerator<LineEvent> {
  const splitter = new LineSplitter(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const stream = openByteStream(path, options.chunkBytes ?? DEFAULT_CHUNK_BYTES, options.onProgress);
  try {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const part of slices(chunk)) yield* splitter.push(part);
      }
    } catch (err) {
      const reason = unreadableReason(err);
      if (reason === null) throw err;
      yield splitter.abort(reason);
      return;
    }
    yield* splitter.end();
  } finally {
    stream.destroy();
  }
}
