// JSON Lines: every non-blank line is one JSON value; a line that does not parse is skipped with the reason.
import { DEFAULT_MAX_LINE_BYTES, readLines, type LineEvent } from './lineReader';
import type { ReadEvent, ReaderOptions } from './readerTypes';

/** Parses one line; the reason when it is not JSON. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  // No stack trace for the SyntaxError: a million bad lines would otherwise each capture one (most of what they
  // cost, in time and in garbage).
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** What one line of JSON Lines is: a value, a skip with the reason, or blank. `base` is added to its byte offset. */
export function jsonlLineEvent(ev: LineEvent, maxValueBytes: number | undefined, base = 0): ReadEvent {
  const loc = { line: ev.line, byteOffset: base + ev.byteOffset, byteLength: ev.byteLength };
  if (ev.kind === 'oversize') {
    return { kind: 'skip', loc, reason: `line is ${ev.byteLength} bytes, over the limit of ${maxValueBytes ?? DEFAULT_MAX_LINE_BYTES} bytes per value` };
  }
  if (ev.kind === 'unreadable') return { kind: 'skip', loc, reason: ev.reason };
  if (ev.text.trim() === '') return { kind: 'blank', loc };
  // A byte-order mark opening a later line (files concatenated with `cat`) does not make the record unreadable.
  const parsed = parseJsonText(ev.text.charCodeAt(0) === 0xfeff ? ev.text.slice(1) : ev.text);
  return parsed.ok ? { kind: 'value', value: parsed.value, loc } : { kind: 'skip', loc, reason: parsed.reason };
}

export async function* readJsonl(path: string, options: ReaderOptions = {}): AsyncGenerator<ReadEvent> {
  const max = options.maxValueBytes;
  for await (const ev of readLines(path, { maxLineBytes: max, onProgress: options.onProgress, chunkBytes: options.chunkBytes })) {
    yield jsonlLineEvent(ev, max);
  }
}
