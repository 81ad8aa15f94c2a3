// A tokenizer for SQLite's SQL, enough to decide what a statement is: comments and whitespace are dropped, string
// and blob literals and quoted identifiers become single tokens (so a keyword inside them is never mistaken for a
// keyword of the statement), bare words are upper-cased for comparison. It does not parse: the read-only guard
// (queryGuard.ts) uses it for the lexical checks and then asks SQLite itself.

export type SqlTokenType = 'word' | 'string' | 'blob' | 'quoted' | 'number' | 'variable' | 'punct';

export interface SqlToken {
  type: SqlTokenType;
  /** The token's text as written. */
  text: string;
  /** Upper-case text for a bare word (keyword or identifier), else the text. */
  upper: string;
  /** Offset of the token's first character in the SQL. */
  start: number;
}

export class SqlTokenError extends Error {}

const isWordStart = (c: string) => /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
const isWordPart = (c: string) => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80;

/** Tokens of the SQL text, comments and whitespace removed. Throws SqlTokenError for unterminated literals or comments. */
export function tokenizeSql(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const push = (type: SqlTokenType, start: number, end: number) => {
    const text = sql.slice(start, end);
    out.push({ type, text, upper: type === 'word' ? text.toUpperCase() : text, start });
  };
  /** The end (exclusive) of a literal opened at `start` by `quote`, where a doubled quote is an escaped one. */
  const quoted = (start: number, open: string, close: string, what: string): number => {
    let j = start + 1;
    for (;;) {
      const k = sql.indexOf(close, j);
      if (k === -1) throw new SqlTokenError(`unterminated ${what} starting at character ${start + 1}`);
      if (close === open && sql[k + 1] === close) {
        j = k + 2;
        continue;
      }
      return k + 1;
    }
  };
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const k = sql.indexOf('\n', i);
      i = k === -1 ? n : k + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const k = sql.indexOf('*/', i + 2);
      if (k === -1) throw new SqlTokenError(`unterminated /* comment starting at character ${i + 1}`);
      i = k + 2;
    } else if (c === "'") {
      const end = quoted(i, "'", "'", 'string literal');
      push('string', i, end);
      i = end;
    } else if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const end = quoted(i + 1, "'", "'", 'blob literal');
      push('blob', i, end);
      i = end;
    } else if (c === '"') {
      const end = quoted(i, '"', '"', 'quoted identifier');
      push('quoted', i, end);
      i = end;
    } else if (c === '`') {
      const end = quoted(i, '`', '`', 'quoted identifier');
      push('quoted', i, end);
      i = end;
    } else if (c === '[') {
      const k = sql.indexOf(']', i + 1);
      if (k === -1) throw new SqlTokenError(`unterminated [identifier] starting at character ${i + 1}`);
      push('quoted', i, k + 1);
      i = k + 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(sql[j])) {
        // exponent sign: 1e-5
        if ((sql[j] === 'e' || sql[j] === 'E') && (sql[j + 1] === '+' || sql[j + 1] === '-')) j++;
        j++;
      }
      push('number', i, j);
      i = j;
    } else if (c === '?' || c === ':' || c === '@' || c === '$') {
      let j = i + 1;
      while (j < n && isWordPart(sql[j])) j++;
      push(j === i + 1 && c !== '?' ? 'punct' : 'variable', i, j);
      i = j;
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql[j])) j++;
      push('word', i, j);
      i = j;
    } else {
      const two = sql.slice(i, i + 2);
      const len = ['||', '<=', '>=', '==', '!=', '<>', '<<', '>>', '->'].includes(two) ? (sql.slice(i, i + 3) === '->>' ? 3 : 2) : 1;
      push('punct', i, i + len);
      i += len;
    }
  }
  return out;
}

/** Splits tokens into statements at `;` (empty statements dropped). */
export function splitStatements(tokens: SqlToken[]): SqlToken[][] {
  const out: SqlToken[][] = [];
  let cur: SqlToken[] = [];
  for (const t of tokens) {
    if (t.type === 'punct' && t.text === ';') {
      if (cur.length) out.push(cur);
      cur = [];
    } else {
      cur.push(t);
    }
  }
  if (cur.length) out.push(cur);
  return out;
}
