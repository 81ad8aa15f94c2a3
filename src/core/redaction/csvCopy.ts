// The CSV side of a redacted copy. Rows are split by the CSV reader's own splitter (quotes, CRLF, BOM, oversize
// rows behave exactly as when the file is opened), fed with a synthetic header `c1,…,cN` so each row comes back
// as its N typed cells in column order. Each row is then placed into the nested record the reader would build
// (dotted columns nest), redacted, and written back cell by cell under the original header, in its order.
// The header row keeps its names and order (they are not scanned); line ends follow the input (CRLF or LF).
// A redacted string may read back as another type (a format-preserving card "4929…" as a number): the chain is
// therefore hashed over what the reader reads back from the written cells (recordFromRawCells).
import { CsvSplitter, csvColumns, csvRecord, splitCsvRow, type CsvColumn } from '../ingest/csvReader';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES, openByteStream } from '../ingest/lineReader';
import type { ReadEvent } from '../ingest/readerTypes';
import { csvQuote } from '../sample/exportFormats';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const HEADER_LIMIT = 1024 * 1024;

export interface CsvHeader {
  names: string[];
  /** The header row ends with CRLF. */
  crlf: boolean;
}

/** Reads the header row: the first row that is not blank, as the CSV reader takes it (quote-aware: a quoted name
 * may hold a newline). Null for a file without one. */
export async function readCsvHeader(path: string): Promise<CsvHeader | null> {
  const stream = openByteStream(path, 64 * 1024);
  let parts: Buffer[] = [];
  let size = 0;
  let inQuotes = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === QUOTE) inQuotes = !inQuotes;
        else if (b === LF && !inQuotes) {
          parts.push(chunk.subarray(from, i));
          const header = toHeader(Buffer.concat(parts), true);
          if (header) return header;
          parts = []; // a blank line before the header
          size = 0;
          from = i + 1;
        }
      }
      parts.push(chunk.subarray(from));
      size += chunk.length - from;
      if (size > HEADER_LIMIT) throw new Error(`the CSV header row is longer than ${HEADER_LIMIT} bytes`);
    }
  } finally {
    stream.destroy();
  }
  return size === 0 ? null : toHeader(Buffer.concat(parts), false);
}

/** The header of one row, or null when the row is blank (spaces and tabs only). */
function toHeader(row: Buffer, terminated: boolean): CsvHeader | null {
  const crlf = terminated && row.length > 0 && row[row.length - 1] === CR;
  let bytes = crlf ? row.subarray(0, row.length - 1) : row;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (/^[ \t]*$/.test(bytes.toString('latin1'))) return null;
  return { names: splitCsvRow(bytes), crlf };
}

/** The data rows of the CSV file as arrays of typed cells (see the header comment), with the reader's events. */
export async function* readCsvCells(path: string, columnCount: number, maxValueBytes = DEFAULT_MAX_LINE_BYTES, onProgress?: (bytes: number) => void): AsyncGenerator<ReadEvent> {
  const synthetic = Buffer.from(Array.from({ length: columnCount }, (_, i) => `c${i + 1}`).join(',') + '\n');
  const splitter = new CsvSplitter(maxValueBytes);
  splitter.push(synthetic);
  let headerSeen = false;
  const shift = (ev: ReadEvent): ReadEvent => ({ ...ev, loc: { ...ev.loc, line: ev.loc.line - 1, byteOffset: ev.loc.byteOffset - synthetic.length } }) as ReadEvent;
  const stream = openByteStream(path, DEFAULT_CHUNK_BYTES, onProgress);
  try {
    const pass = function* (events: ReadEvent[]): Generator<ReadEvent> {
      for (const ev of events) {
        if (!headerSeen && ev.kind !== 'blank') {
          headerSeen = true; // the file's own header row
          continue;
        }
        yield shift(ev);
      }
    };
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      yield* pass(splitter.push(chunk));
      if (splitter.stopped) return;
    }
    yield* pass(splitter.end());
  } finally {
    stream.destroy();
  }
}

/** Where each column's cell sits in the nested record (csvRecord's placement), or null when the cell is empty. */
export function cellPlaces(columns: readonly CsvColumn[], cells: readonly unknown[]): (readonly string[] | null)[] {
  return columns.map((col, i) => {
    if (cells[i] === undefined) return null;
    if (!col.path || col.prefixes.some((p) => cells[p] !== undefined)) return [col.name];
    return col.path;
  });
}

/** The value at `place` in a record. */
export function valueAt(record: unknown, place: readonly string[]): unknown {
  let cur = record;
  for (const key of place) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A cell's raw text (unquoted) as readCsv reads it back to the same value; '' for absent. */
export function cellRawText(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** The record readCsv builds from raw cell texts (to hash exactly what a verifier will read). */
export function recordFromRawCells(columns: readonly CsvColumn[], raw: readonly string[]): Record<string, unknown> {
  return csvRecord(columns, raw);
}

/** One CSV line from raw cell texts. */
export function csvLine(raw: readonly string[], crlf: boolean): string {
  return raw.map((t) => (t === '' ? '' : csvQuote(t))).join(',') + (crlf ? '\r\n' : '\n');
}

export { csvColumns };
export type { CsvColumn };
