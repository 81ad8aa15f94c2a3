// JSON Lines read in blocks, so that several parse workers can share one big plain (not gzip) file: a block is a
// byte range [start, end) and holds the lines that start inside it (the last of them may run past `end`). Lines are
// numbered from 1 within the block (whoever puts the blocks back in order adds the lines of the blocks before);
// byte offsets are the file's.
import fs from 'node:fs';
import { jsonlLineEvent } from './jsonlReader';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES, LineSplitter, slices } from './lineReader';
import type { ReadEvent, ReaderOptions } from './readerTypes';

const NEWLINE = 0x0a;

/** The byte ranges of `blocks` blocks of about `blockBytes` each over a file of `size` bytes. */
export function blockRanges(size: number, blockBytes: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let start = 0; start < size; start += blockBytes) out.push({ start, end: Math.min(size, start + blockBytes) });
  return out;
}

/** Where the first line starting at or after `start` begins (a line starts after a newline), or -1: none does. */
async function firstLineStart(fh: fs.promises.FileHandle, start: number, chunkBytes: number): Promise<number> {
  if (start === 0) return 0;
  let pos = start - 1; // the byte before: a newline there means a line starts exactly at `start`
  const buf = Buffer.allocUnsafe(Math.min(chunkBytes, 1024 * 1024));
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) return -1;
    const nl = buf.subarray(0, bytesRead).indexOf(NEWLINE);
    if (nl !== -1) return pos + nl + 1;
    pos += bytesRead;
  }
}

/**
 * Yields what the lines starting in [start, end) of the file at `path` are (values, skips, blanks), as readJsonl
 * would, with lines numbered from 1 in the block. `onProgress` gets the bytes of the block read so far.
 */
export async function* readJsonlBlock(path: string, start: number, end: number, options: ReaderOptions = {}): AsyncGenerator<ReadEvent> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const max = options.maxValueBytes;
  const fh = await fs.promises.open(path, 'r');
  try {
    const base = await firstLineStart(fh, start, chunkBytes);
    if (base === -1 || base >= end) return;
    const splitter = new LineSplitter(max ?? DEFAULT_MAX_LINE_BYTES);
    let pos = base;
    for (;;) {
      // A fresh buffer each read: the splitter keeps views of a line that continues into the next read.
      const buf = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, pos);
      const parts = bytesRead === 0 ? [null] : slices(buf.subarray(0, bytesRead));
      for (const part of parts) {
        for (const ev of part ? splitter.push(part) : splitter.end()) {
          if (base + ev.byteOffset >= end) return; // the next block's
          yield jsonlLineEvent(ev, max, base);
        }
      }
      if (bytesRead === 0) return;
      pos += bytesRead;
      options.onProgress?.(Math.min(pos, end) - start);
    }
  } finally {
    await fh.close();
  }
}
