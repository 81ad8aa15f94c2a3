// Streams an RFC 4180 CSV export with a header row: comma-separated, fields optionally quoted with `"` (`""` is a
// quote inside quotes, quoted fields may hold commas and newlines), LF or CRLF line ends, an optional UTF-8 BOM.
// Rows are found chunk by chunk with a small quote-aware state machine, so only one row is held at a time.
//
// Each data row becomes an object keyed by the header names:
//   - a dotted name nests: `usage.input_tokens` → `{ usage: { input_tokens: … } }`;
//   - an empty cell (quoted or not) means the field is absent;
//   - `true` / `false` / `null` become those values, a canonical JSON number (`String(Number(cell)) === cell`,
//     so `007` or `1.50` stay strings) becomes a number, a cell starting with `[` or `{` that parses as JSON becomes
//     that array or object; everything else stays a string.
//
// Header choices (the contract has no warning event, so these are renamings, not skips):
//   - an empty header name reads as `column_N` (N = 1-based column number);
//   - a repeated name keeps the first column as is and reads the later ones as `name_2`, `name_3`, … (a suffix not
//     already taken by another column), so no cell is lost and none silently overwrites another;
//   - a name with an empty dotted segment (`a..b`, `.a`, `a.`) is not split: it is one flat key;
//   - when a row has values both for `a` and for `a.b` (nesting would clash), the longer name is kept flat as the
//     key `"a.b"` for that row, so neither value is lost.
// Leniency: text after a closing quote (`"ab"c`) is kept as part of the field (`abc`), as most CSV readers do; a
// line made only of spaces and tabs counts as blank, like in the JSON Lines reader.
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES, splitFile } from './lineReader';
import type { ReadEvent, RecordReader, SourceLoc } from './readerTypes';


const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const BOM = [0xef, 0xbb, 0xbf];

/** The typed value of one cell (see the header comment); `undefined` means the field is absent. */
export function parseCsvCell(text: string): unknown {
  if (text === '') return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  const first = text.charCodeAt(0);
  if (first === 0x5b /* [ */ || first === 0x7b /* { */) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  const n = Number(text);
  if (Number.isFinite(n) && String(n) === text) return n;
  return text;
}

/** Splits one complete row (without its line terminator) into its field texts. */
export function splitCsvRow(row: Buffer): string[] {
  const fields: string[] = [];
  const n = row.length;
  let i = 0;
  for (;;) {
    let text: string;
    if (i < n && row[i] === QUOTE) {
      // Quoted field: copy the segments between `""` pairs up to the closing quote.
      let parts = '';
      let from = i + 1;
      for (;;) {
        const q = row.indexOf(QUOTE, from);
        if (q === -1) {
          parts += row.toString('utf8', from, n); // unterminated (only at end of file): keep the rest
          i = n;
          break;
        }
        if (row[q + 1] === QUOTE) {
          parts += row.toString('utf8', from, q + 1);
          from = q + 2;
          continue;
        }
        parts += row.toString('utf8', from, q);
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the next comma is kept (lenient, see above).
      const comma = row.indexOf(COMMA, i);
      const end = comma === -1 ? n : comma;
      text = end > i ? parts + row.toString('utf8', i, end) : parts;
      i = end;
    } else {
      const comma = row.indexOf(COMMA, i);
      const end = comma === -1 ? n : comma;
      text = row.toString('utf8', i, end);
      i = end;
    }
    fields.push(text);
    if (i >= n) return fields;
    i++; // past the comma; a comma at the very end is followed by one more (empty) field
  }
}

/** Sets an own property, also for the key `__proto__` (as JSON.parse does), so a header cannot touch prototypes. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export interface CsvColumn {
  /** The (de-duplicated) header name. */
  name: string;
  /** The nesting path, or null to keep the name as one flat key. */
  path: string[] | null;
  /** Columns whose path is a strict prefix of this one's: when one of them has a value, this cell is kept flat. */
  prefixes: number[];
}

/** Turns the header cells into columns (see the header comment for empty and repeated names). */
export function csvColumns(names: readonly string[]): CsvColumn[] {
  const taken = new Set<string>();
  const unique: string[] = [];
  names.forEach((raw, index) => {
    let name = raw === '' ? `column_${index + 1}` : raw;
    if (taken.has(name)) {
      let k = 2;
      while (taken.has(`${name}_${k}`) || names.includes(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    taken.add(name);
    unique.push(name);
  });
  const byPath = new Map<string, number>();
  const columns: CsvColumn[] = unique.map((name, index) => {
    const segments = name.split('.');
    const path = segments.includes('') ? null : segments;
    if (path) byPath.set(path.join('.'), index);
    return { name, path, prefixes: [] };
  });
  for (const col of columns) {
    if (!col.path) continue;
    for (let len = 1; len < col.path.length; len++) {
      const other = byPath.get(col.path.slice(0, len).join('.'));
      if (other !== undefined) col.prefixes.push(other);
    }
  }
  return columns;
}

/** Builds the record of one row from its cells (same length as columns). */
export function csvRecord(columns: readonly CsvColumn[], cells: readonly string[]): Record<string, unknown> {
  const values = cells.map(parseCsvCell);
  const record: Record<string, unknown> = {};
  columns.forEach((col, index) => {
    const value = values[index];
    if (value === undefined) return;
    if (!col.path || col.prefixes.some((p) => values[p] !== undefined)) {
      setOwn(record, col.name, value);
      return;
    }
    let target = record;
    for (let s = 0; s < col.path.length - 1; s++) {
      const key = col.path[s];
      let next = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
      if (next === undefined) {
        next = {};
        setOwn(target, key, next);
      }
      target = next as Record<string, unknown>;
    }
    setOwn(target, col.path[col.path.length - 1], value);
  });
  return record;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A `"` inside a quoted field: either the closing quote or the first of `""`. */
  QuoteInQuoted,
}

/** Splits a CSV byte stream into rows and rows into records. Exported for tests that feed chunks directly. */
export class CsvSplitter {
  private columns: CsvColumn[] | null = null;
  private finished = false;
  private bom = 0;
  private offset = 0; // absolute offset of the current chunk's first byte
  private line = 1; // line of the byte being looked at
  private state = State.FieldStart;
  private lastByte = -1; // the last byte of the previous chunk (to see a CR right before an LF)
  // The open row.
  private rowStart = 0;
  private rowLine = 1;
  private pieces: Buffer[] = []; // its first maxValueBytes bytes at most (enough to read it when not oversize)
  private kept = 0;

  constructor(private readonly maxValueBytes: number = DEFAULT_MAX_LINE_BYTES) {}

  /** True once nothing more can be read (an oversize header). */
  get stopped(): boolean {
    return this.finished;
  }

  /** Feeds a chunk; returns the events for the rows it finished. */
  push(chunk: Buffer): ReadEvent[] {
    const out: ReadEvent[] = [];
    if (this.finished) return out;
    const n = chunk.length;
    let i = 0;
    let rowFrom = 0; // where the open row's bytes start in this chunk
    while (i < n) {
      const b = chunk[i];
      if (this.offset + i < BOM.length && this.bom === this.offset + i && b === BOM[this.bom]) {
        // A byte-order mark at the very start is not part of the first row (nor a field's first byte).
        if (++this.bom === BOM.length) {
          this.rowStart = BOM.length;
          this.pieces = [];
          this.kept = 0;
          rowFrom = i + 1;
        }
        i++;
        continue;
      }
      if (this.state === State.Quoted) {
        // Fast inner loop over quoted content: only `"` and newlines matter.
        let j = i;
        while (j < n) {
          const c = chunk[j];
          if (c === QUOTE) break;
          if (c === LF) this.line++;
          j++;
        }
        if (j < n) this.state = State.QuoteInQuoted;
        i = j + 1;
        continue;
      }
      if (b === LF) {
        // End of row (outside quotes).
        this.keep(chunk.subarray(rowFrom, i));
        const crBefore = (i > 0 ? chunk[i - 1] : this.lastByte) === CR;
        this.finishRow(this.offset + i - (crBefore ? 1 : 0), out);
        if (this.finished) return out;
        this.line++;
        this.state = State.FieldStart;
        this.rowStart = this.offset + i + 1;
        this.rowLine = this.line;
        rowFrom = i + 1;
      } else if (b === COMMA) {
        this.state = State.FieldStart;
      } else if (b === QUOTE) {
        // Opens a quoted field at a field start, re-enters it after `""`; elsewhere a literal quote.
        if (this.state === State.FieldStart || this.state === State.QuoteInQuoted) this.state = State.Quoted;
      } else if (this.state !== State.Unquoted) {
        this.state = State.Unquoted;
      }
      i++;
    }
    if (n > 0) this.lastByte = chunk[n - 1];
    this.keep(chunk.subarray(rowFrom));
    this.offset += n;
    return out;
  }

  /** Finishes the last row when the file does not end with a newline, or reports it truncated. */
  end(): ReadEvent[] {
    const out: ReadEvent[] = [];
    if (this.finished) return out;
    const length = this.offset - this.rowStart;
    if (this.state === State.Quoted) {
      out.push({
        kind: 'skip',
        loc: { line: this.rowLine, byteOffset: this.rowStart, byteLength: length },
        reason: 'truncated: a quoted field is not closed at the end of the file',
      });
    } else if (length > 0) {
      this.finishRow(this.offset - (this.lastByte === CR ? 1 : 0), out);
    }
    this.finished = true;
    return out;
  }

  /** The content cannot be read on (corrupt gzip, decompression bomb): the open row is skipped and reading stops. */
  abort(reason: string): ReadEvent[] {
    if (this.finished) return [];
    this.finished = true;
    this.pieces = [];
    return [{ kind: 'skip', loc: { line: this.rowLine, byteOffset: this.rowStart, byteLength: this.offset - this.rowStart }, reason }];
  }

  /** Keeps the row's bytes up to maxValueBytes; beyond that they are only counted (via offsets). */
  private keep(part: Buffer): void {
    const room = this.maxValueBytes - this.kept;
    if (room <= 0 || part.length === 0) return;
    const piece = part.length > room ? part.subarray(0, room) : part;
    this.pieces.push(piece);
    this.kept += piece.length;
  }

  /** Handles the row from rowStart to `end` (its terminator excluded). */
  private finishRow(end: number, out: ReadEvent[]): void {
    const byteLength = end - this.rowStart;
    const loc: SourceLoc = { line: this.rowLine, byteOffset: this.rowStart, byteLength };
    const pieces = this.pieces;
    this.pieces = [];
    this.kept = 0;
    if (byteLength > this.maxValueBytes) {
      if (this.columns) {
        out.push({ kind: 'skip', loc, reason: `row is ${byteLength} bytes, over the limit of ${this.maxValueBytes} bytes per value` });
      } else {
        // Without a header no row can be read: report it once and stop.
        out.push({
          kind: 'skip',
          loc,
          reason: `header row is ${byteLength} bytes, over the limit of ${this.maxValueBytes} bytes per value; no row can be read without it`,
        });
        this.finished = true;
      }
      return;
    }
    const all = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
    const row = all.subarray(0, byteLength);
    if (isBlank(row)) {
      out.push({ kind: 'blank', loc });
      return;
    }
    const cells = splitCsvRow(row);
    if (!this.columns) {
      this.columns = csvColumns(cells);
      return;
    }
    if (cells.length !== this.columns.length) {
      out.push({ kind: 'skip', loc, reason: `expected ${this.columns.length} fields, found ${cells.length}` });
      return;
    }
    out.push({ kind: 'value', value: csvRecord(this.columns, cells), loc });
  }
}

/** True for an empty row or one made only of spaces and tabs. */
function isBlank(row: Buffer): boolean {
  for (let i = 0; i < row.length; i++) {
    if (row[i] !== SPACE && row[i] !== TAB) return false;
  }
  return true;
}

/** Yields every data row of the CSV file at `path` as a record, decompressing gzip transparently. */
export const readCsv: RecordReader = (path, options = {}) =>
  splitFile(path, new CsvSplitter(options.maxValueBytes ?? DEFAULT_MAX_LINE_BYTES), options.chunkBytes ?? DEFAULT_CHUNK_BYTES, options.onProgress);
