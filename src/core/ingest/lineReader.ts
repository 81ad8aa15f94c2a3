// Streams the lines of a (possibly gzip-compressed) text file with their 1-based line numbers and byte offsets.
// Never buffers more than one line (bounded by maxLineBytes): a longer line is reported as oversize and skipped.
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';

export type LineEvent =
  | { kind: 'line'; line: number; byteOffset: number; byteLength: number; text: string }
  | { kind: 'oversize'; line: number; byteOffset: number; byteLength: number };

export interface LineReaderOptions {
  /** Lines longer than this many bytes are reported as `oversize` and not decoded. Default 64 MiB. */
  maxLineBytes?: number;
  /** Called with the number of bytes read from the file on disk (compressed bytes for gzip). */
  onProgress?: (bytesRead: number) => void;
  /** Read size. Default 4 MiB. */
  chunkBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
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

/** A byte stream of the file's content, gunzipped when the file is gzip; onProgress counts bytes read from disk. */
export function openByteStream(path: string, chunkBytes: number, onProgress?: (n: number) => void): Readable {
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
  return file.pipe(gunzip);
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

/** Yields every line of the file at `path`, decompressing gzip transparently. */
export async function* readLines(path: string, options: LineReaderOptions = {}): AsyncGenerator<LineEvent> {
  const splitter = new LineSplitter(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const stream = openByteStream(path, options.chunkBytes ?? 4 * 1024 * 1024, options.onProgress);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      yield* splitter.push(chunk);
    }
    yield* splitter.end();
  } finally {
    stream.destroy();
  }
}
