// The raw bytes of records, exactly as in the export, by their byte ranges in the (decompressed) content: read at
// their offsets in a plain file; for a gzip-compressed file, picked out of one decompressed stream.
import fs from 'node:fs';
import { DEFAULT_CHUNK_BYTES, openByteStream } from '../ingest/lineReader';
import type { SourceFile } from '../store/readBack';
import { abortError } from './outputFile';

export interface ByteRange {
  byteOffset: number;
  byteLength: number;
}

/**
 * Calls `onRange` with the bytes of each range, in the order given (which must be ascending by offset and not
 * overlapping). Throws when a range lies past the end of the content (the file changed).
 */
export async function readRawRanges(
  file: Pick<SourceFile, 'path' | 'compressed'>,
  ranges: readonly ByteRange[],
  onRange: (index: number, bytes: Buffer) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i].byteOffset < ranges[i - 1].byteOffset + ranges[i - 1].byteLength) throw new Error('byte ranges must be ascending and not overlap');
  }
  if (!file.compressed) {
    const fd = fs.openSync(file.path, 'r');
    try {
      for (const [i, r] of ranges.entries()) {
        if (signal?.aborted) throw abortError(signal);
        const buf = Buffer.alloc(r.byteLength);
        const n = fs.readSync(fd, buf, 0, r.byteLength, r.byteOffset);
        if (n !== r.byteLength) throw new Error(`${file.path} ends before byte ${r.byteOffset + r.byteLength} (has it changed since it was loaded?)`);
        await onRange(i, buf);
      }
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const stream = openByteStream(file.path, DEFAULT_CHUNK_BYTES);
  let pos = 0; // offset of the chunk's first byte in the content
  let i = 0;
  let current: Buffer | null = null;
  let filled = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw abortError(signal);
      const end = pos + chunk.length;
      while (i < ranges.length) {
        const r = ranges[i];
        const rEnd = r.byteOffset + r.byteLength;
        if (r.byteOffset >= end) break;
        if (!current) {
          current = Buffer.alloc(r.byteLength);
          filled = 0;
        }
        const start = Math.max(r.byteOffset + filled, pos);
        const stop = Math.min(rEnd, end);
        if (stop > start) {
          chunk.copy(current, start - r.byteOffset, start - pos, stop - pos);
          filled = stop - r.byteOffset;
        }
        if (filled === r.byteLength) {
          await onRange(i, current);
          current = null;
          i++;
        } else {
          break;
        }
      }
      pos = end;
      if (i >= ranges.length) break;
    }
  } finally {
    stream.destroy();
  }
  if (i < ranges.length) throw new Error(`${file.path} ends before byte ${ranges[i].byteOffset + ranges[i].byteLength} (has it changed since it was loaded?)`);
}
