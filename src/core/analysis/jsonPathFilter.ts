// A JSONPath filter over the raw records of the export(s), e.g. `$[?(@.latency_ms > 5000)]`, evaluated record by
// record while the files stream (never the whole export in memory).
//
// Which value the path applies to: a path that starts with `$[` (a filter or index on the root) is evaluated on the
// record wrapped in a one-element array, so `$[?(@.x > 1)]` selects the records whose x is over 1; any other path
// (`$.model`, `$..content`) is evaluated on the record itself.
//
// Script safety: filter and script expressions (`?(…)`, `(…)`) run only in jsonpath-plus's safe evaluator
// (`eval: 'safe'`, a small interpreter over a parsed expression: no `eval`, no `Function`, no `vm`), never the
// native one. Before that, the expression is checked here: names that reach the JavaScript runtime (`constructor`,
// `__proto__`, `process`, `require`, `globalThis`, `Function`, `this`, …), assignments, `++`/`--`, template literals,
// memory bombs (`repeat`, `padStart`, `padEnd`) and regular expressions with nested quantifiers (catastrophic
// backtracking) are refused with a message; then the expression is compiled and tried once on an empty record, so a
// reference to an unknown name is refused instead of silently matching nothing.
import { JSONPath } from 'jsonpath-plus';
import { READERS } from '../ingest/readers';
import type { SourceFile } from '../store/readBack';
import { assertUnchanged, queryAll, type SqlTarget } from './storeAccess';

export class JsonPathRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathRefusedError';
  }
}

/** Never allowed, not even as a property name: they lead from a value to its prototype or constructor. */
const FORBIDDEN_PROPERTIES = [
  'constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
];

/** Not allowed as a bare name (a field of the record, `@.document`, is fine). */
const FORBIDDEN_IDENTIFIERS = [
  'process', 'require', 'module', 'exports', 'global', 'globalThis', 'window', 'self', 'document', 'Function', 'eval', 'this',
  'import', 'Reflect', 'Proxy', 'Object', 'Symbol', 'Buffer', 'arguments', 'setTimeout', 'setInterval', 'setImmediate', 'fetch',
];

/** Not allowed as calls: they allocate as much memory as asked. */
const FORBIDDEN_CALLS = ['repeat', 'padStart', 'padEnd'];

/** The expression with the contents of its string literals blanked (so a name inside quotes is not refused). */
function withoutStrings(expr: string): string {
  return expr.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, (m) => m[0] + ' '.repeat(m.length - 2) + m[m.length - 1]);
}

/** Regular expression literals in the expression (after strings are blanked). */
function regexLiterals(expr: string): string[] {
  return [...expr.matchAll(/(?<![\w)\]$@])\/((?:[^/\\\n]|\\.)+)\/[a-z]*/g)].map((m) => m[1]);
}

/** Refuses (JsonPathRefusedError) what must never run; see the file comment. */
export function checkJsonPath(expression: string): void {
  const expr = expression.trim();
  if (!expr.startsWith('$')) throw new JsonPathRefusedError('Refused: a JSONPath starts with "$", e.g. $[?(@.latency_ms > 5000)]');
  if (expr.length > 2000) throw new JsonPathRefusedError('Refused: the JSONPath is longer than 2000 characters');
  const code = withoutStrings(expr);
  if (code.includes('`')) throw new JsonPathRefusedError('Refused: template literals (`…`) are not allowed in a JSONPath');
  for (const name of FORBIDDEN_PROPERTIES) {
    if (new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(expr)) {
      throw new JsonPathRefusedError(`Refused: "${name}" is not allowed in a JSONPath (it leads to the JavaScript runtime)`);
    }
  }
  for (const name of FORBIDDEN_IDENTIFIERS) {
    if (new RegExp(`(?<![\\w$.@])${name}(?![\\w$])`).test(code)) {
      throw new JsonPathRefusedError(`Refused: "${name}" is not allowed in a JSONPath script (only the record, @ and its fields can be used)`);
    }
  }
  for (const name of FORBIDDEN_CALLS) {
    if (new RegExp(`${name}['"]?\\s*\\]?\\s*\\(`).test(expr)) throw new JsonPathRefusedError(`Refused: ${name}() is not allowed in a JSONPath script (it can exhaust memory)`);
  }
  if (/(^|[^=!<>])=(?!=)/.test(code) || /=>/.test(code)) throw new JsonPathRefusedError('Refused: assignments are not allowed in a JSONPath script (use == or === to compare)');
  if (/\+\+|--/.test(code)) throw new JsonPathRefusedError('Refused: ++ and -- are not allowed in a JSONPath script');
  for (const re of regexLiterals(code)) {
    if (/\([^()]*[+*}][^()]*\)\s*[+*{]/.test(re) || /\((?:[^()]|\([^()]*\))*[+*][^()]*\)\s*[+*{]/.test(re)) {
      throw new JsonPathRefusedError(`Refused: the regular expression /${re}/ has nested quantifiers (it can take exponential time)`);
    }
  }
  // Compile and try once: syntax errors and unknown names are refused now, not silently ignored per record.
  try {
    JSONPath({ path: expr, json: wrapsRecord(expr) ? [{}] : {}, eval: 'safe', wrap: true, ignoreEvalErrors: false });
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    // Reading a field of a missing value is normal on an empty record; anything else is a real error.
    if (!/Cannot read properties of (undefined|null)/.test(msg)) throw new JsonPathRefusedError(`Refused: the JSONPath does not evaluate: ${msg}`);
  }
}

/** True when the path applies to the record wrapped in an array (it starts with `$[`). */
export function wrapsRecord(expression: string): boolean {
  return /^\$\s*\[/.test(expression.trim());
}

/** Evaluates a checked JSONPath on one record: the selected values (empty when it does not match). */
export function evaluateOnRecord(expression: string, record: unknown): unknown[] {
  const expr = expression.trim();
  const result = JSONPath({ path: expr, json: (wrapsRecord(expr) ? [record] : record) as object, eval: 'safe', wrap: true, ignoreEvalErrors: true });
  return Array.isArray(result) ? result : [];
}

export interface JsonPathMatch {
  fileIndex: number;
  line: number;
  byteOffset: number;
  byteLength: number;
  /** The values the path selected in this record (at most `maxValuesPerRecord`). */
  values: unknown[];
  /** The events loaded from this record, when a store was given. */
  rowids?: number[];
}

export interface JsonPathOptions {
  /** Matching records returned at most (default 1000); all are counted. */
  maxMatches?: number;
  maxValuesPerRecord?: number;
  /** Keep the selected values (default true; the evidence bundle only needs locations). */
  keepValues?: boolean;
  /** To add the rowids of each matching record's events. */
  store?: SqlTarget;
  signal?: AbortSignal;
  onProgress?: (p: { fileIndex: number; records: number; matched: number }) => void;
}

export interface JsonPathResult {
  expression: string;
  matches: JsonPathMatch[];
  /** Records that matched (all of them, even past maxMatches). */
  count: number;
  recordsScanned: number;
  truncated: boolean;
  elapsedMs: number;
}

/** Streams every record of the files and returns those the JSONPath selects something in. */
export async function jsonPathFilter(
  files: readonly (SourceFile & { bytes?: number })[],
  expression: string,
  options: JsonPathOptions = {},
): Promise<JsonPathResult> {
  const started = Date.now();
  checkJsonPath(expression);
  const maxMatches = options.maxMatches ?? 1000;
  const maxValues = options.maxValuesPerRecord ?? 20;
  const keep = options.keepValues ?? true;
  let rowidsAt: Map<string, number[]> | null = null;
  if (options.store) {
    rowidsAt = new Map();
    for (const [rowid, fi, off] of queryAll(options.store, 'SELECT rowid, file_index, byte_offset FROM events ORDER BY rowid')) {
      const key = `${fi}:${off}`;
      const list = rowidsAt.get(key) ?? [];
      list.push(rowid as number);
      rowidsAt.set(key, list);
    }
  }
  const matches: JsonPathMatch[] = [];
  let count = 0;
  let scanned = 0;
  for (const [fileIndex, file] of files.entries()) {
    assertUnchanged(file);
    for await (const ev of READERS[file.format](file.path)) {
      if (ev.kind !== 'value') continue;
      scanned++;
      if (scanned % 500 === 0) {
        options.signal?.throwIfAborted();
        options.onProgress?.({ fileIndex, records: scanned, matched: count });
      }
      const values = evaluateOnRecord(expression, ev.value);
      if (values.length === 0) continue;
      count++;
      if (matches.length < maxMatches) {
        matches.push({
          fileIndex,
          ...ev.loc,
          values: keep ? values.slice(0, maxValues) : [],
          ...(rowidsAt ? { rowids: rowidsAt.get(`${fileIndex}:${ev.loc.byteOffset}`) ?? [] } : {}),
        });
      }
    }
  }
  options.signal?.throwIfAborted();
  options.onProgress?.({ fileIndex: files.length - 1, records: scanned, matched: count });
  return { expression, matches, count, recordsScanned: scanned, truncated: count > matches.length, elapsedMs: Date.now() - started };
}
