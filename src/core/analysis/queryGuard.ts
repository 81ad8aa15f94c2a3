// Read-only SQL over the store, for the query editor, the CLI `query` command and exports.
//
// Three independent layers, each enough on its own for the cases it covers:
//   1. lexical: the SQL is tokenized (comments dropped, string literals and quoted identifiers kept whole, so a
//      keyword hidden in them neither refuses nor passes anything); exactly one statement; it must start with
//      SELECT, WITH, VALUES, EXPLAIN QUERY PLAN or PRAGMA <read-only pragma>; no write, schema, transaction or
//      attach keyword may appear anywhere in it;
//   2. engine: SQLite compiles the statement (EXPLAIN, which does not run it) and the bytecode is checked: a write
//      transaction, OpenWrite, schema changes, VACUUM, ATTACH/DETACH refuse it;
//   3. execution inside a SAVEPOINT that is always rolled back, so even a write that slipped through is undone.
// Limits: sql.js cannot interrupt a running statement, so a query that computes for a long time without producing
// rows (a huge cross join, a runaway recursive CTE with an aggregate) holds the database until it ends; `timeoutMs`
// is checked between rows only. Run it in the database worker, which the host can terminate.
import type { Database, Statement } from 'sql.js';
import type { SqlValue } from '../../shared/protocol';
import { SqlTokenError, splitStatements, tokenizeSql, type SqlToken } from './sqlTokens';
import { databaseOf, type SqlTarget } from './storeAccess';

export type ReadOnlyKind = 'select' | 'explain-query-plan' | 'pragma';

export type SqlCheck =
  | { ok: true; kind: ReadOnlyKind; /** The statement without a trailing `;`. */ statement: string; /** What the engine check compiles. */ compiled: string }
  | { ok: false; /** What was refused, e.g. "INSERT", "multiple statements". */ refused: string; message: string };

/** Thrown by runReadOnly when the SQL is refused; `refused` names what. */
export class QueryRefusedError extends Error {
  constructor(
    readonly refused: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryRefusedError';
  }
}

const ALLOWED = 'Only one SELECT, WITH … SELECT, VALUES, EXPLAIN QUERY PLAN or read-only PRAGMA statement runs here.';

/** PRAGMAs that only read (and only in their query form, without `=`): schema browsing and diagnostics. */
export const READ_ONLY_PRAGMAS: readonly string[] = [
  'table_info', 'table_xinfo', 'table_list', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list', 'foreign_key_check',
  'database_list', 'collation_list', 'function_list', 'module_list', 'pragma_list', 'compile_options',
  'page_count', 'page_size', 'freelist_count', 'data_version', 'schema_version', 'user_version', 'application_id', 'encoding',
  'integrity_check', 'quick_check',
];

/** Keywords that change the database, its schema, the connection or the transaction state. */
const REFUSED_KEYWORDS: Record<string, string> = {
  INSERT: 'INSERT writes rows',
  UPDATE: 'UPDATE writes rows',
  DELETE: 'DELETE removes rows',
  REPLACE: 'REPLACE writes rows',
  CREATE: 'CREATE changes the schema',
  DROP: 'DROP changes the schema',
  ALTER: 'ALTER changes the schema',
  ATTACH: 'ATTACH opens another database',
  DETACH: 'DETACH changes the attached databases',
  VACUUM: 'VACUUM rewrites the database',
  REINDEX: 'REINDEX rebuilds indexes',
  ANALYZE: 'ANALYZE writes statistics tables',
  PRAGMA: 'PRAGMA may change settings',
  BEGIN: 'BEGIN starts a transaction',
  COMMIT: 'COMMIT ends a transaction',
  END: 'END ends a transaction',
  ROLLBACK: 'ROLLBACK ends a transaction',
  SAVEPOINT: 'SAVEPOINT changes the transaction state',
  RELEASE: 'RELEASE changes the transaction state',
};

/** Functions with effects outside the query (not all exist in sql.js; refused by name anyway). */
const REFUSED_FUNCTIONS: Record<string, string> = {
  LOAD_EXTENSION: 'load_extension() loads native code',
  READFILE: 'readfile() reads files',
  WRITEFILE: 'writefile() writes files',
  EDIT: 'edit() starts an editor',
  FTS3_TOKENIZER: 'fts3_tokenizer() registers native code',
};

const refuse = (refused: string, why: string): SqlCheck => ({ ok: false, refused, message: `Refused ${refused}: ${why}. ${ALLOWED}` });

function isWord(t: SqlToken | undefined, ...words: string[]): boolean {
  return t !== undefined && t.type === 'word' && words.includes(t.upper);
}

function checkPragma(tokens: SqlToken[]): SqlCheck | null {
  // PRAGMA [schema.]name [ (arg) ]   — never `= value`
  let i = 1;
  if (tokens[i + 1]?.text === '.') i += 2;
  const name = tokens[i];
  if (!name || (name.type !== 'word' && name.type !== 'quoted')) return refuse('PRAGMA', 'a PRAGMA needs a name');
  const pragma = name.type === 'word' ? name.text.toLowerCase() : name.text.slice(1, -1).toLowerCase();
  if (tokens.some((t) => t.type === 'punct' && t.text === '=')) return refuse(`PRAGMA ${pragma} = …`, 'setting a PRAGMA changes the connection or the database');
  if (!READ_ONLY_PRAGMAS.includes(pragma)) return refuse(`PRAGMA ${pragma}`, `only the read-only PRAGMAs run (${READ_ONLY_PRAGMAS.join(', ')})`);
  const rest = tokens.slice(i + 1);
  if (rest.length > 0) {
    const ok = rest.length === 3 && rest[0].text === '(' && rest[2].text === ')' && rest[1].type !== 'punct';
    if (!ok) return refuse(`PRAGMA ${pragma}`, 'a read-only PRAGMA takes at most one argument in parentheses');
  }
  return null;
}

/** The lexical check (layer 1). Does not touch a database. */
export function checkReadOnlySql(sql: string): SqlCheck {
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(sql);
  } catch (err) {
    if (err instanceof SqlTokenError) return refuse('malformed SQL', err.message);
    throw err;
  }
  const statements = splitStatements(tokens);
  if (statements.length === 0) return refuse('an empty query', 'there is no statement');
  if (statements.length > 1) return refuse('multiple statements', `found ${statements.length} statements separated by ";"`);
  const stmt = statements[0];
  const first = stmt[0];
  const statement = sql.slice(first.start, stmt[stmt.length - 1].start + stmt[stmt.length - 1].text.length);
  let kind: ReadOnlyKind;
  let compiledFrom = 0;
  if (isWord(first, 'SELECT', 'WITH', 'VALUES')) {
    kind = 'select';
  } else if (isWord(first, 'EXPLAIN')) {
    if (!isWord(stmt[1], 'QUERY') || !isWord(stmt[2], 'PLAN')) return refuse('EXPLAIN', 'only EXPLAIN QUERY PLAN is allowed');
    if (!isWord(stmt[3], 'SELECT', 'WITH', 'VALUES')) return refuse(`EXPLAIN QUERY PLAN ${stmt[3]?.upper ?? ''}`.trim(), 'only the plan of a SELECT can be shown');
    kind = 'explain-query-plan';
    compiledFrom = 3;
  } else if (isWord(first, 'PRAGMA')) {
    const bad = checkPragma(stmt);
    if (bad) return bad;
    kind = 'pragma';
  } else {
    const what = first.type === 'word' ? first.upper : `"${first.text}"`;
    return refuse(what, REFUSED_KEYWORDS[first.upper] ?? `a statement starting with ${what} is not a query`);
  }
  for (let i = kind === 'pragma' ? 1 : 0; i < stmt.length; i++) {
    const t = stmt[i];
    if (t.type !== 'word') continue;
    const next = stmt[i + 1];
    const isCall = next?.type === 'punct' && next.text === '(';
    if (REFUSED_FUNCTIONS[t.upper] && isCall) return refuse(`${t.text.toLowerCase()}()`, REFUSED_FUNCTIONS[t.upper]);
    if (t.upper === 'REPLACE' && isCall) continue; // the replace(x, y, z) string function
    if (t.upper === 'END' && stmt.slice(0, i).some((p) => p.type === 'word' && p.upper === 'CASE')) continue; // CASE … END
    if (REFUSED_KEYWORDS[t.upper]) return refuse(t.upper, REFUSED_KEYWORDS[t.upper]);
  }
  const compiled = sql.slice(stmt[compiledFrom].start, stmt[stmt.length - 1].start + stmt[stmt.length - 1].text.length);
  return { ok: true, kind, statement, compiled };
}

/** Bytecode that writes, changes the schema or the connection (layer 2). */
const WRITE_OPCODES = new Set([
  'OpenWrite', 'Clear', 'Destroy', 'CreateBtree', 'DropTable', 'DropIndex', 'DropTrigger', 'ParseSchema', 'SetCookie',
  'Vacuum', 'IncrVacuum', 'JournalMode', 'LoadAnalysis', 'VUpdate', 'VCreate', 'VDestroy', 'VBegin', 'Savepoint', 'AutoCommit',
]);

/** Compiles the statement with EXPLAIN (not run) and refuses it when its bytecode could write. */
export function engineCheck(db: Database, compiled: string): SqlCheck | null {
  let stmt: Statement | undefined;
  try {
    stmt = db.prepare(`EXPLAIN ${compiled}`);
    while (stmt.step()) {
      const r = stmt.get();
      const op = String(r[1]);
      if (op === 'Transaction' && r[3] !== 0) return refuse('a write transaction', 'SQLite compiled the statement to open a write transaction');
      if (WRITE_OPCODES.has(op)) return refuse(`a writing operation (${op})`, 'SQLite compiled the statement to change the database');
      if ((op === 'Function' || op === 'PureFunc') && /^(sqlite_attach|sqlite_detach|load_extension)\b/i.test(String(r[5] ?? ''))) {
        return refuse(String(r[5]).replace(/\(.*$/, '()'), 'the statement calls a function that changes the connection');
      }
    }
    return null;
  } finally {
    stmt?.free();
  }
}

/** The full check: lexical, then the engine's. Throws QueryRefusedError with the message when refused. */
export function assertReadOnly(db: Database, sql: string): { kind: ReadOnlyKind; statement: string } {
  const lexical = checkReadOnlySql(sql);
  if (!lexical.ok) throw new QueryRefusedError(lexical.refused, lexical.message);
  // Exactly one statement for SQLite too (prepare() alone would silently ignore the rest).
  let count = 0;
  for (const s of db.iterateStatements(lexical.statement)) {
    count++;
    s.free();
  }
  if (count !== 1) throw new QueryRefusedError('multiple statements', `Refused multiple statements: SQLite sees ${count}. ${ALLOWED}`);
  const engine = engineCheck(db, lexical.compiled);
  if (engine && !engine.ok) throw new QueryRefusedError(engine.refused, engine.message);
  return { kind: lexical.kind, statement: lexical.statement };
}

export interface ReadOnlyOptions {
  /** Rows returned at most (default 1000, at most 1,000,000); `truncated` says when there were more. */
  maxRows?: number;
  /** Stops fetching rows after this many milliseconds (checked between rows); `timedOut` says so. */
  timeoutMs?: number;
}

export interface ReadOnlyResult {
  kind: ReadOnlyKind;
  columns: string[];
  rows: SqlValue[][];
  /** More rows existed than returned (maxRows or timeout). */
  truncated: boolean;
  timedOut: boolean;
  elapsedMs: number;
}

export const DEFAULT_MAX_ROWS = 1000;
const HARD_MAX_ROWS = 1_000_000;

/** A BLOB as x'…' text, so every value crosses threads and prints as a string or number. */
export function sqlValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `x'${Buffer.from(v).toString('hex')}'`;
  return String(v);
}

type Params = SqlValue[] | Record<string, SqlValue>;

/** Runs one read-only statement (see the file comment for the three layers) and returns capped rows. */
export function runReadOnly(target: SqlTarget, sql: string, params: Params = [], options: ReadOnlyOptions = {}): ReadOnlyResult {
  const started = Date.now();
  const db = databaseOf(target);
  const { kind, statement } = assertReadOnly(db, sql);
  const maxRows = Math.max(0, Math.min(options.maxRows ?? DEFAULT_MAX_ROWS, HARD_MAX_ROWS));
  const savepoint = 'audit_lens_read_only';
  db.run(`SAVEPOINT ${savepoint}`);
  let stmt: Statement | undefined;
  try {
    stmt = db.prepare(statement);
    stmt.bind(params as never);
    const columns = stmt.getColumnNames();
    const rows: SqlValue[][] = [];
    let truncated = false;
    let timedOut = false;
    while (stmt.step()) {
      if (rows.length >= maxRows) {
        truncated = true;
        break;
      }
      rows.push(stmt.get().map(sqlValue));
      if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs) {
        timedOut = true;
        truncated = stmt.step();
        break;
      }
    }
    return { kind, columns, rows, truncated, timedOut, elapsedMs: Date.now() - started };
  } finally {
    stmt?.free();
    db.run(`ROLLBACK TO ${savepoint}`);
    db.run(`RELEASE ${savepoint}`);
  }
}

/**
 * The rows of a read-only statement, one at a time, uncapped (for exports). Checked like runReadOnly; not wrapped
 * in a savepoint, since the caller interleaves writes to a file between rows.
 */
export function* iterateReadOnly(target: SqlTarget, sql: string, params: Params = []): Generator<SqlValue[], void, undefined> {
  const db = databaseOf(target);
  const { statement } = assertReadOnly(db, sql);
  const stmt = db.prepare(statement);
  try {
    stmt.bind(params as never);
    while (stmt.step()) yield stmt.get().map(sqlValue);
  } finally {
    stmt.free();
  }
}

/** The column names a read-only statement returns, without running it. */
export function readOnlyColumns(target: SqlTarget, sql: string): string[] {
  const db = databaseOf(target);
  const { statement } = assertReadOnly(db, sql);
  const stmt = db.prepare(statement);
  try {
    return stmt.getColumnNames();
  } finally {
    stmt.free();
  }
}

// ---------------------------------------------------------------- schema browser

export interface SchemaColumn {
  name: string;
  /** Declared type (may be empty). */
  type: string;
  notNull: boolean;
  primaryKey: boolean;
}

export interface SchemaTable {
  name: string;
  type: 'table' | 'view';
  /** `main` or `temp`. */
  schema: string;
  columns: SchemaColumn[];
  /** Rows in a table (not computed for views). */
  rows: number | null;
}

/** Tables and views with their columns and types, for a schema browser and completion. */
export function schemaInfo(target: SqlTarget): SchemaTable[] {
  const db = databaseOf(target);
  const out: SchemaTable[] = [];
  for (const schema of ['main', 'temp']) {
    const master = schema === 'main' ? 'sqlite_master' : 'sqlite_temp_master';
    const res = db.exec(`SELECT name, type FROM ${master} WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name`);
    for (const [name, type] of res[0]?.values ?? []) {
      const n = String(name);
      const cols = db.exec(`SELECT name, type, "notnull", pk FROM pragma_table_info(?, ?) ORDER BY cid`, [n, schema]);
      const quoted = `"${schema}"."${n.replace(/"/g, '""')}"`;
      out.push({
        name: n,
        type: type === 'view' ? 'view' : 'table',
        schema,
        columns: (cols[0]?.values ?? []).map((c) => ({ name: String(c[0]), type: String(c[1] ?? ''), notNull: c[2] === 1, primaryKey: Number(c[3]) > 0 })),
        rows: type === 'table' ? Number(db.exec(`SELECT count(*) FROM ${quoted}`)[0].values[0][0]) : null,
      });
    }
  }
  return out;
}

/** Keywords and functions offered by completion (besides table and column names). */
export const SQL_COMPLETION_WORDS: readonly string[] = [
  'SELECT', 'FROM', 'WHERE', 'GROUP BY', 'HAVING', 'ORDER BY', 'LIMIT', 'OFFSET', 'WITH', 'AS', 'JOIN', 'LEFT JOIN', 'ON', 'USING',
  'UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT', 'DISTINCT', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL',
  'LIKE', 'GLOB', 'BETWEEN', 'EXISTS', 'ASC', 'DESC', 'EXPLAIN QUERY PLAN', 'VALUES',
  'count', 'sum', 'avg', 'min', 'max', 'total', 'group_concat', 'coalesce', 'ifnull', 'nullif', 'length', 'lower', 'upper', 'substr',
  'instr', 'replace', 'trim', 'round', 'abs', 'printf', 'date', 'time', 'datetime', 'julianday', 'strftime', 'unixepoch',
  'json_extract', 'json_each', 'json_array_length', 'json_group_array', 'json_object',
];
