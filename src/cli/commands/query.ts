// audit-lens query FILE... --sql "…" [--format csv|json|jsonl] [--max-rows N] [--out PATH] [--input-format NAME]
// audit-lens query FILE... --jsonpath '$[?(@.latency_ms > 5000)]' [--format …] [--max-rows N]
// audit-lens query FILE... --schema
// A write (or anything but one read-only statement) is refused with exit code 2 and the reason.
import fs from 'node:fs';
import path from 'node:path';
import { JsonPathRefusedError, jsonPathFilter } from '../../core/analysis/jsonPathFilter';
import { QueryRefusedError, READ_ONLY_PRAGMAS, runReadOnly, schemaInfo } from '../../core/analysis/queryGuard';
import { sourceFilesOf } from '../../core/analysis/storeAccess';
import { OutputRefusedError } from '../../core/exporting/outputFile';
import { EXPORT_FORMATS, csvLine, exportRows, queryRowSource, uniqueKeys, type ExportFormat } from '../../core/exporting/tabular';
import { CONTAINER_FORMATS, isContainerFormat } from '../../core/ingest/detectFormat';
import { loadSources } from '../../core/store/loadSources';
import { openDatabase } from '../../core/store/openDatabase';
import type { SqlValue } from '../../shared/protocol';
import { UsageError, parseOptions, type CliCommand } from '../command';

const DEFAULT_CLI_ROWS = 10_000;

function formatRows(columns: string[], rows: SqlValue[][], format: ExportFormat): string {
  if (format === 'csv') return csvLine(columns) + rows.map((r) => csvLine(r)).join('');
  const keys = uniqueKeys(columns);
  const objects = rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? null])));
  if (format === 'jsonl') return objects.map((o) => `${JSON.stringify(o)}\n`).join('');
  return `${JSON.stringify(objects, null, 2)}\n`;
}

export const queryCommand: CliCommand = {
  name: 'query',
  summary: 'read-only SQL (or a JSONPath filter) over one or more exports',
  usage: `audit-lens query FILE... --sql "SELECT …" [--format csv|json|jsonl] [--max-rows N] [--out PATH] [--input-format NAME]
audit-lens query FILE... --jsonpath '$[?(@.latency_ms > 5000)]' [--format csv|json|jsonl] [--max-rows N]
audit-lens query FILE... --schema

Loads the exports into the in-memory database (tables events, chunks, sessions, files, skipped_lines: see
docs/schema.md) and runs one read-only statement: SELECT, WITH … SELECT, VALUES, EXPLAIN QUERY PLAN, or a
read-only PRAGMA (${READ_ONLY_PRAGMAS.slice(0, 4).join(', ')}, …). Anything that writes or changes the database
(INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, ATTACH, PRAGMA x = y, VACUUM, several statements) is refused.

  --sql TEXT            the statement
  --jsonpath EXPR       instead of SQL: the raw records the JSONPath selects something in (file, line, values)
  --schema              list the tables and their columns
  --format F            csv (default), json or jsonl
  --max-rows N          rows printed at most (default ${DEFAULT_CLI_ROWS}); with --out, all rows unless given
  --out PATH            write to PATH instead of standard output (never over an input export)
  --input-format NAME   read every file as NAME instead of detecting it: ${CONTAINER_FORMATS.map((f) => f.id).join(', ')}

Exit code: 0 done, 2 refused query, bad arguments or unreadable input.`,
  async run(args, io) {
    const { positionals: files, options, set } = parseOptions(args, ['sql', 'jsonpath', 'format', 'max-rows', 'out', 'input-format'], ['schema']);
    if (files.length === 0) throw new UsageError('give at least one FILE');
    const modes = [options.sql !== undefined, options.jsonpath !== undefined, set.has('schema')].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('give one of --sql, --jsonpath or --schema');
    const format = (options.format ?? 'csv') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${options.format}")`);
    const inputFormat = options['input-format'];
    if (inputFormat !== undefined && !isContainerFormat(inputFormat)) {
      throw new UsageError(`--input-format must be one of ${CONTAINER_FORMATS.map((f) => f.id).join(', ')} (got "${inputFormat}")`);
    }
    let maxRows: number | undefined;
    if (options['max-rows'] !== undefined) {
      maxRows = Number(options['max-rows']);
      if (!Number.isInteger(maxRows) || maxRows < 0) throw new UsageError(`--max-rows must be a whole number ≥ 0 (got "${options['max-rows']}")`);
    }
    for (const f of files) {
      if (!fs.existsSync(f) || !fs.statSync(f).isFile()) {
        io.err(`audit-lens: ${f}: no such file\n`);
        return 2;
      }
    }
    const paths = files.map((f) => path.resolve(f));
    const db = await openDatabase(io.wasmPath);
    try {
      await loadSources(db, paths, { format: inputFormat !== undefined && isContainerFormat(inputFormat) ? inputFormat : undefined });
      if (set.has('schema')) {
        const tables = schemaInfo(db);
        const rows = tables.flatMap((t) => t.columns.map((c) => [t.name, t.type, c.name, c.type, c.notNull ? 1 : 0, t.rows] as SqlValue[]));
        io.out(formatRows(['table', 'type', 'column', 'column_type', 'not_null', 'rows'], rows, format));
        return 0;
      }
      if (options.jsonpath !== undefined) {
        const result = await jsonPathFilter(sourceFilesOf(db), options.jsonpath, { maxMatches: maxRows ?? DEFAULT_CLI_ROWS, store: db });
        const rows = result.matches.map((m) => [paths[m.fileIndex], m.line, m.byteOffset, (m.rowids ?? []).join(' '), JSON.stringify(m.values.length === 1 ? m.values[0] : m.values)] as SqlValue[]);
        const text = formatRows(['file', 'line', 'byte_offset', 'rowids', 'value'], rows, format);
        if (options.out !== undefined) {
          await exportRows({ columns: ['file', 'line', 'byte_offset', 'rowids', 'value'], rows }, options.out, { format, inputPaths: paths });
        } else {
          io.out(text);
        }
        if (result.truncated) io.err(`audit-lens query: ${result.count} records match; the first ${result.matches.length} are listed (use --max-rows)\n`);
        return 0;
      }
      const sql = options.sql!;
      if (options.out !== undefined) {
        const source = queryRowSource(db, sql);
        const rows = maxRows === undefined ? source.rows : (function* () {
          let n = 0;
          for (const r of source.rows as Iterable<SqlValue[]>) {
            if (n++ >= maxRows!) return;
            yield r;
          }
        })();
        const res = await exportRows({ columns: source.columns, rows }, options.out, { format, inputPaths: paths });
        io.err(`audit-lens query: ${res.rows} rows written to ${res.path} (SHA-256 ${res.sha256})\n`);
        return 0;
      }
      const result = runReadOnly(db, sql, [], { maxRows: maxRows ?? DEFAULT_CLI_ROWS });
      io.out(formatRows(result.columns, result.rows, format));
      if (result.truncated) io.err(`audit-lens query: output truncated at ${result.rows.length} rows (use --max-rows N, or --out PATH for all rows)\n`);
      return 0;
    } catch (err) {
      if (err instanceof QueryRefusedError || err instanceof JsonPathRefusedError || err instanceof OutputRefusedError) {
        io.err(`audit-lens query: ${err.message}\n`);
        return 2;
      }
      throw err;
    } finally {
      db.close();
    }
  },
};
