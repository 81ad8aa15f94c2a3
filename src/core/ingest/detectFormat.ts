// Decides how a file is read (its container format) from its first bytes, and says why, in words a user can
// check. The user can override the decision (the "Reopen With Format…" command, the CLI's --format).
import { openByteStream } from './lineReader';

export type ContainerFormat = 'jsonl' | 'json-array' | 'json-document' | 'csv';

export const CONTAINER_FORMATS: { id: ContainerFormat; label: string; description: string }[] = [
  { id: 'jsonl', label: 'JSON Lines', description: 'one JSON object per line (the project format, OTLP file exporter, most loggers)' },
  { id: 'json-array', label: 'JSON array', description: 'one JSON array of records, read element by element' },
  { id: 'json-document', label: 'JSON document', description: 'a single JSON object, e.g. one OTLP TracesData' },
  { id: 'csv', label: 'CSV', description: 'comma-separated values with a header row (RFC 4180)' },
];

export function isContainerFormat(value: string): value is ContainerFormat {
  return CONTAINER_FORMATS.some((f) => f.id === value);
}

export interface Detection {
  format: ContainerFormat;
  /** Why, e.g. "the first line is a complete JSON object". */
  reason: string;
  compressed: boolean;
}

const SNIFF_BYTES = 64 * 1024;

async function head(path: string): Promise<string> {
  const stream = openByteStream(path, SNIFF_BYTES);
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= SNIFF_BYTES) break;
    }
  } catch {
    // A truncated gzip stream still gives its first bytes; the reader reports the error where it happens.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts, size).subarray(0, SNIFF_BYTES).toString('utf8');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Detects from content first; the file name only breaks ties. */
export function detectFromText(text: string, fileName: string, compressed: boolean): Detection {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  const gz = compressed ? ' (gzip-compressed)' : '';
  if (trimmed === '') return { format: 'jsonl', reason: `the file is empty${gz}`, compressed };
  if (/[\u0000-\u0008\u000E-\u001A]/.test(trimmed.slice(0, 512))) {
    return { format: 'jsonl', reason: `the file looks binary${gz}; it is read as JSON Lines and unreadable lines are reported`, compressed };
  }
  if (trimmed.startsWith('[')) return { format: 'json-array', reason: `the content starts with "[": a JSON array${gz}`, compressed };
  const firstLine = trimmed.split(/\r?\n/, 1)[0];
  if (trimmed.startsWith('{')) {
    if (isJson(firstLine.trim())) return { format: 'jsonl', reason: `the first line is a complete JSON object: JSON Lines${gz}`, compressed };
    // An object spread over several lines: one JSON document (when the head holds all of it, check it parses).
    return { format: 'json-document', reason: `the content starts with "{" but the first line is not a complete object: a single JSON document${gz}`, compressed };
  }
  const fields = firstLine.split(',').length;
  if (fields >= 2 || /\.csv(\.gz)?$/i.test(fileName)) {
    return { format: 'csv', reason: `the first line looks like a CSV header (${fields} comma-separated names)${gz}`, compressed };
  }
  return { format: 'jsonl', reason: `no known format recognised from the first line; read as JSON Lines so each unreadable line is reported${gz}`, compressed };
}

export async function detectFormat(path: string, fileName: string, compressed: boolean): Promise<Detection> {
  return detectFromText(await head(path), fileName, compressed);
}
