// Reads a JSON Lines export: every non-blank line becomes a record row or a skipped line with its reason.
// Nothing is dropped silently: lines read = records + skipped + blank.
import type { SkippedLine } from '../../shared/protocol';
import type { RecordRow } from '../model/auditRecord';
import { toRecordRow } from '../model/toRecordRow';
import { readLines, type LineReaderOptions } from './lineReader';

export interface IngestSink {
  record(row: RecordRow): void;
  skipped(line: SkippedLine): void;
}

export interface IngestCounts {
  lines: number;
  blankLines: number;
  records: number;
  skipped: number;
}

/** Thrown when a file is not JSON Lines at all (a JSON array, CSV, binary): a clear reason instead of N skipped lines. */
export class UnsupportedFormatError extends Error {}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Classifies one line: a record object, or the reason it is not one. */
export function parseLine(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `not a JSON object (found ${describe(value)})` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

const READS = 'This version reads JSON Lines (one JSON object per line, optionally gzip-compressed).';

/** Looks at the first non-blank line to refuse formats this reader does not handle, with the reason. */
function sniff(fileName: string, firstLine: string, lineNo: number): void {
  const t = firstLine.trimStart();
  if (t.startsWith('[')) {
    throw new UnsupportedFormatError(`${fileName}, line ${lineNo}: this file is a JSON array, not JSON Lines. ${READS}`);
  }
  if (!t.startsWith('{') && t.includes(',') && !parseLine(t).ok) {
    throw new UnsupportedFormatError(`${fileName}, line ${lineNo}: this looks like CSV (a header line), not JSON Lines. ${READS}`);
  }
}

export async function ingestJsonl(
  path: string,
  fileName: string,
  sink: IngestSink,
  options: LineReaderOptions = {},
): Promise<IngestCounts> {
  const counts: IngestCounts = { lines: 0, blankLines: 0, records: 0, skipped: 0 };
  let sniffed = false;
  for await (const ev of readLines(path, options)) {
    counts.lines = ev.line;
    if (ev.kind === 'oversize') {
      counts.skipped++;
      sink.skipped({
        line: ev.line,
        byteOffset: ev.byteOffset,
        reason: `line is ${ev.byteLength} bytes, over the ${options.maxLineBytes ?? 'default'} byte limit per line`,
      });
      continue;
    }
    if (ev.text.trim() === '') {
      counts.blankLines++;
      continue;
    }
    if (!sniffed) {
      sniff(fileName, ev.text, ev.line);
      sniffed = true;
    }
    const parsed = parseLine(ev.text);
    if (!parsed.ok) {
      counts.skipped++;
      sink.skipped({ line: ev.line, byteOffset: ev.byteOffset, reason: parsed.reason });
      continue;
    }
    counts.records++;
    sink.record(toRecordRow(parsed.value, ev));
  }
  return counts;
}
