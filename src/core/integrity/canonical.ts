// The canonical JSON text a record is hashed over. Verification works on parsed values, so the text is rebuilt
// from the value the same way the producer built it:
//   jcs           RFC 8785 (JSON Canonicalization Scheme) via the `canonicalize` package: keys sorted by UTF-16
//                 code units, ECMAScript number and string serialization, no whitespace.
//   sorted        keys sorted by Unicode code point at every level, no whitespace, strings and numbers as
//                 JSON.stringify writes them (Python's json.dumps(obj, sort_keys=True, separators=(",", ":"),
//                 ensure_ascii=False), and most "sort the keys" producers).
//   sorted-ascii  as `sorted`, but every character outside printable ASCII is written as \uXXXX (lowercase hex):
//                 Python's json.dumps(obj, sort_keys=True, separators=(",", ":")) with its default ensure_ascii.
// Numbers are re-serialized the ECMAScript way in every mode: a producer that writes `1.0` or `1e-07` for a float
// cannot be verified from parsed values (the value no longer says how it was written); docs/integrity.md says so.
import canonicalize from 'canonicalize';

export type Canonicalization = 'jcs' | 'sorted' | 'sorted-ascii';

export const CANONICALIZATIONS: readonly Canonicalization[] = ['jcs', 'sorted', 'sorted-ascii'];

/** Orders strings by Unicode code point (differs from the default UTF-16 order only around surrogate pairs). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (a code point above U+FFFF) sorts after every BMP character, including U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function asciiEscape(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function sortedJson(value: unknown, ascii: boolean): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return ascii ? asciiEscape(JSON.stringify(value)) : JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('a number that is not finite cannot be canonicalized');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        return '[' + value.map((v) => sortedJson(v, ascii) ?? 'null').join(',') + ']';
      }
      const obj = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(obj).sort(compareCodePoints)) {
        const text = sortedJson(obj[key], ascii);
        if (text === undefined) continue; // like JSON: undefined members are left out
        parts.push((ascii ? asciiEscape(JSON.stringify(key)) : JSON.stringify(key)) + ':' + text);
      }
      return '{' + parts.join(',') + '}';
    }
    default:
      return undefined; // undefined, functions, symbols: left out as JSON does
  }
}

/** The canonical text of a JSON value; throws for values JSON cannot hold (NaN, Infinity, a bare undefined). */
export function canonicalJson(value: unknown, mode: Canonicalization): string {
  const text = mode === 'jcs' ? canonicalize(value) : sortedJson(value, mode === 'sorted-ascii');
  if (text === undefined) throw new Error('value cannot be canonicalized');
  return text;
}
