// A single JSON document (e.g. one pretty-printed OTLP TracesData object): read whole, as one value at line 1.
// Bounded: a document over the limit is refused with the reason rather than read into memory.
import { DEFAULT_CHUNK_BYTES, openByteStream, unreadableReason } from './lineReader';
import type { ReadEvent, ReaderOptions } from './readerTypes';
import { parseJsonText } from './jsonlReader';

export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

export async function* readJsonDocument(path: string, options: ReaderOptions = {}): AsyncGenerator<ReadEvent> {
  const limit = Math.min(options.maxValueBytes ?? MAX_DOCUMENT_BYTES, MAX_DOCUMENT_BYTES);
  const parts: Buffer[] = [];
  let size = 0;
  let over = false;
  const stream = openByteStream(path, options.chunkBytes ?? DEFAULT_CHUNK_BYTES, options.onProgress);
  let unreadable: string | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit && !over) {
        over = true;
        parts.length = 0; // over the limit: only counted from here on, and what was kept is released
      }
      if (!over) parts.push(chunk);
    }
  } catch (err) {
    unreadable = unreadableReason(err);
    if (unreadable === null) throw err;
  } finally {
    stream.destroy();
  }
  const loc = { line: 1, byteOffset: 0, byteLength: size };
  if (unreadable !== null) {
    yield { kind: 'skip', loc, reason: unreadable };
    return;
  }
  if (over) {
    yield { kind: 'skip', loc, reason: `the JSON document is ${size} bytes, over the limit of ${limit} bytes for a single document` };
    return;
  }
  let text = Buffer.concat(parts, size).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    yield { kind: 'blank', loc };
    return;
  }
  const parsed = parseJsonText(text);
  yield parsed.ok ? { kind: 'value', value: parsed.value, loc } : { kind: 'skip', loc, reason: parsed.reason };
}
