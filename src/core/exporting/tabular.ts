// Exports a result set (columns + rows) to CSV (RFC 4180), JSON or JSON Lines, streamed to a file with progress
// and cancel (see outputFile.ts: never over an input export, no partial file left behind).
import type { SqlValue } from '../../shared/protocol';
import { iterateReadOnly, readOnlyColumns } from '../analysis/queryGuard';
import { databaseOf, queryAll, sourceFilesOf, type SqlTarget } from '../analysis/storeAccess';
import { filterSql, type EventFilter } from '../query/filter';
import { OutputFile, abortError, type OutputCheckOptions } from './outputFile';

export type ExportFormat = 'csv' | 'json' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'jsonl'];

export interface RowSource {
  columns: string[];
  rows: Iterable<SqlValue[]> | AsyncIterable<SqlValue[]>;
  /** How many rows, when known (for progress). */
  total?: number;
  /** The exports the rows come from (set by the store sources): never written over, whatever the options say. */
  inputPaths?: readonly string[];
}

export interface ExportProgress {
  rows: number;
  bytes: number;
  total?: number;
}

export interface CsvOptions {
  /** Write the header row (default true). */
  header?: boolean;
  /**
   * Prefix a `'` to text cells starting with = + - @ (or a tab / carriage return), so a spreadsheet does not run
   * them as formulas (CSV injection). Changes the data, so off by default.
   */
  neutralizeFormulas?: boolean;
}

export interface ExportOptions extends OutputCheckOptions {
  format: ExportFormat;
  csv?: CsvOptions;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

export interface ExportResult {
  path: string;
  format: ExportFormat;
  rows: number;
  bytes: number;
  sha256: string;
}

// ---------------------------------------------------------------- CSV

/** One CSV field (RFC 4180): quoted when it holds a quote, comma, CR or LF; null is an empty field, '' is `""`. */
export function csvField(value: SqlValue | boolean | undefined, options: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && options.neutralizeFormulas && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (s === '' || /[",\r\n]/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** A CSV record with its CRLF terminator. */
export function csvLine(values: readonly (SqlValue | boolean | undefined)[], options: CsvOptions = {}): string {
  return `${values.map((v) => csvField(v, options)).join(',')}\r\n`;
}

/**
 * Parses CSV text (RFC 4180) into records of fields; an unquoted empty field is null, a quoted one ''. For checking
 * exports (tests, the bundle's index); not the export reader, which is src/core/ingest/csvReader.ts.
 */
export function parseCsv(text: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return records;
  for (;;) {
    let field: string | null;
    if (text[i] === '"') {
      let j = i + 1;
      let out = '';
      for (;;) {
        const k = text.indexOf('"', j);
        if (k === -1) throw new Error('unterminated quoted field');
        out += text.slice(j, k);
        if (text[k + 1] === '"') {
          out += '"';
          j = k + 2;
        } else {
          i = k + 1;
          break;
        }
      }
      field = out;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') j++;
      field = j === i ? null : text.slice(i, j);
      i = j;
    }
    record.push(field);
    if (i >= n) {
      records.push(record);
      break;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    // end of record: CRLF or LF
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else i++;
    records.push(record);
    record = [];
    if (i >= n) break;
  }
  return records;
}

// ---------------------------------------------------------------- JSON

/** Object keys for the columns: a repeated name gets _2, _3, … so no value is lost. */
export function uniqueKeys(columns: readonly string[]): string[] {
  const used = new Set<string>();
  return columns.map((c) => {
    let k = c;
    for (let n = 2; used.has(k); n++) k = `${c}_${n}`;
    used.add(k);
    return k;
  });
}

function rowObject(keys: readonly string[], row: readonly SqlValue[]): Record<string, SqlValue> {
  const o: Record<string, SqlValue> = {};
  keys.forEach((k, i) => {
    o[k] = row[i] ?? null;
  });
  return o;
}

// ---------------------------------------------------------------- export

/** Streams the rows to `outPath` in the format; on cancel or error the partial file is removed. */
export async function exportRows(source: RowSource, outPath: string, options: ExportOptions): Promise<ExportResult> {
  if (!EXPORT_FORMATS.includes(options.format)) throw new Error(`unknown export format "${String(options.format)}" (formats: ${EXPORT_FORMATS.join(', ')})`);
  const inputPaths = [...(options.inputPaths ?? []), ...(source.inputPaths ?? [])];
  const out = OutputFile.open(outPath, { ...options, inputPaths, what: options.what ?? 'export' });
  const keys = uniqueKeys(source.columns);
  let rows = 0;
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = Date.now();
    if (options.onProgress && (force || now - lastReport >= 100)) {
      lastReport = now;
      options.onProgress({ rows, bytes: out.bytes, total: source.total });
    }
  };
  try {
    let buffer = '';
    const flush = async () => {
      if (buffer) await out.write(buffer);
      buffer = '';
    };
    if (options.format === 'csv' && options.csv?.header !== false) buffer += csvLine(source.columns, options.csv);
    if (options.format === 'json') buffer += '[';
    for await (const row of source.rows as AsyncIterable<SqlValue[]>) {
      if (options.signal?.aborted) throw abortError(options.signal);
      if (options.format === 'csv') buffer += csvLine(row, options.csv);
      else if (options.format === 'jsonl') buffer += `${JSON.stringify(rowObject(keys, row))}\n`;
      else buffer += `${rows ? ',' : ''}\n${JSON.stringify(rowObject(keys, row))}`;
      rows++;
      if (buffer.length >= 64 * 1024) {
        await flush();
        report(false);
      }
    }
    if (options.format === 'json') buffer += rows ? '\n]\n' : ']\n';
    await flush();
    if (options.signal?.aborted) throw abortError(options.signal);
    const sha256 = await out.commit();
    report(true);
    return { path: out.target, format: options.format, rows, bytes: out.bytes, sha256 };
  } catch (err) {
    await out.abort();
    throw err;
  }
}

function storePaths(target: SqlTarget): string[] {
  return sourceFilesOf(target).map((f) => f.path);
}

/** The rows of a read-only query (checked like runReadOnly), uncapped, for export. */
export function queryRowSource(target: SqlTarget, sql: string, params: SqlValue[] = []): RowSource {
  return { columns: readOnlyColumns(target, sql), rows: iterateReadOnly(target, sql, params), inputPaths: storePaths(target) };
}

/** The stored columns of the events table, in order. */
export function eventColumns(target: SqlTarget): string[] {
  return ['rowid', ...queryAll(target, 'SELECT name FROM pragma_table_info(?) ORDER BY cid', ['events']).map((r) => String(r[0])).filter((c) => c !== 'rowid')];
}

/** The stored fields of the events matching a filter, in time order (the order of the views). */
export function filterRowSource(target: SqlTarget, filter: EventFilter = {}): RowSource {
  const { where, params } = filterSql(filter);
  const columns = eventColumns(target);
  const total = queryAll(target, `SELECT count(*) FROM events WHERE ${where}`, params)[0][0] as number;
  const sql = `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM events WHERE ${where} ORDER BY coalesce(ts, '9999'), file_index, line, idx`;
  function* rows(): Generator<SqlValue[]> {
    const stmt = databaseOf(target).prepare(sql);
    try {
      stmt.bind(params);
      while (stmt.step()) yield stmt.get() as SqlValue[];
    } finally {
      stmt.free();
    }
  }
  return { columns, rows: rows(), total, inputPaths: storePaths(target) };
}

/** Rows of the events table for the given rowids (in rowid order), for the evidence bundle. */
export function eventsByRowid(target: SqlTarget, rowids: readonly number[]): RowSource {
  const columns = eventColumns(target);
  const sorted = [...rowids].sort((a, b) => a - b);
  function* rows(): Generator<SqlValue[]> {
    for (let i = 0; i < sorted.length; i += 500) {
      const part = sorted.slice(i, i + 500);
      yield* queryAll(target, `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM events WHERE rowid IN (${part.map(() => '?').join(',')}) ORDER BY rowid`, part);
    }
  }
  return { columns, rows: rows(), total: sorted.length, inputPaths: storePaths(target) };
}
