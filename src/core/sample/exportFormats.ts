// Writes audit records as the other export formats the readers accept: a pretty-printed JSON array, and CSV.
// CSV is what readCsv reads back: nested plain objects become dotted columns, arrays a JSON cell, CRLF line ends.
// Lossy corners of CSV (the sample has none of them; the tests check): a string that reads as another type
// (`true`, `null`, `42`, `[1]`…), an empty string (read back as absent), and keys that themselves contain a dot.

/** The records as one JSON array, two-space indented, with a final newline. */
export function toJsonArray(records: readonly unknown[]): string {
  return JSON.stringify(records, null, 2) + '\n';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Quotes a cell when RFC 4180 needs it (`,` `"` CR LF), or when it has leading or trailing spaces. */
export function csvQuote(text: string): string {
  if (/[",\r\n]|^\s|\s$/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** The cell text of a leaf value, or undefined for a value JSON would leave out (undefined, functions). */
function cellText(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return csvQuote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'; // as JSON.stringify writes NaN and Infinity
    case 'boolean':
      return String(value);
    default: {
      const json = JSON.stringify(value) as string | undefined; // arrays, and whatever else JSON can write
      return json === undefined ? undefined : csvQuote(json);
    }
  }
}

/** Adds the dotted columns of one record to `out`; an empty nested object is kept as the cell `{}`. */
function flatten(record: Record<string, unknown>, prefix: string, out: Map<string, string>): void {
  for (const [key, value] of Object.entries(record)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      flatten(value, name, out);
      continue;
    }
    const text = isPlainObject(value) ? '{}' : cellText(value);
    if (text !== undefined) out.set(name, text);
  }
}

/** The records as CSV: a header of every dotted key in first-seen order, one row per record, CRLF line ends. */
export function toCsv(records: readonly Record<string, unknown>[]): string {
  const rows = records.map((record) => {
    const cells = new Map<string, string>();
    flatten(record, '', cells);
    return cells;
  });
  const header = new Set<string>();
  for (const row of rows) for (const name of row.keys()) header.add(name);
  const names = [...header];
  if (names.length === 0) return ''; // no columns: CSV cannot hold a row (an empty line reads as blank)
  const lines = [names.map(csvQuote).join(',')];
  for (const row of rows) lines.push(names.map((name) => row.get(name) ?? '').join(','));
  return lines.join('\r\n') + '\r\n';
}
