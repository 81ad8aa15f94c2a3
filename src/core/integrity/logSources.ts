// Where verifyIntegrity reads from: files (each read with the reader for its detected container format, gzip or
// not) or in-memory values / reader events; and the SHA-256 of a file as stored, for the report.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { detectFormat, type ContainerFormat } from '../ingest/detectFormat';
import { isGzipFile } from '../ingest/lineReader';
import type { ReadEvent } from '../ingest/readerTypes';
import { READERS } from '../ingest/readers';
import type { VerifiedFile } from './reportTypes';

/** What to verify: file path(s) read as one log in order, or parsed values / reader events from memory. */
export type IntegrityInput =
  | string
  | readonly string[]
  | { values: Iterable<unknown> | AsyncIterable<unknown>; name?: string }
  | { events: Iterable<ReadEvent> | AsyncIterable<ReadEvent>; name?: string };

/** One file (or the in-memory input) and how to read its events. */
export interface Source {
  name: string;
  info: VerifiedFile;
  events: () => AsyncIterable<ReadEvent> | Iterable<ReadEvent>;
}

/** SHA-256 (hex) of a file's bytes as stored. */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Parsed values as reader events; the n-th value is "line" n. */
async function* valueEvents(values: Iterable<unknown> | AsyncIterable<unknown>): AsyncGenerator<ReadEvent> {
  let line = 0;
  for await (const value of values as AsyncIterable<unknown>) {
    line += 1;
    yield { kind: 'value', value, loc: { line, byteOffset: 0, byteLength: 0 } };
  }
}

/** Opens every input; a missing file throws here, before anything is read. */
export async function openSources(input: IntegrityInput, format: ContainerFormat | undefined, onBytes: (fileIndex: number, n: number) => void): Promise<Source[]> {
  if (typeof input === 'string' || Array.isArray(input)) {
    const paths = (typeof input === 'string' ? [input] : input) as readonly string[];
    const out: Source[] = [];
    for (const [i, p] of paths.entries()) {
      const stat = fs.statSync(p); // throws for a missing file, before anything is read
      if (!stat.isFile()) throw new Error(`${p} is not a file`);
      const compressed = isGzipFile(p);
      const fileFormat = format ?? (await detectFormat(p, path.basename(p), compressed)).format;
      out.push({
        name: p,
        info: { path: p, format: fileFormat, compressed, bytes: stat.size, sha256: null },
        events: () => READERS[fileFormat](p, { onProgress: (n) => onBytes(i, n) }),
      });
    }
    return out;
  }
  const memory = input as { values?: Iterable<unknown> | AsyncIterable<unknown>; events?: Iterable<ReadEvent> | AsyncIterable<ReadEvent>; name?: string };
  const name = memory.name ?? '(values)';
  const info: VerifiedFile = { path: name, format: 'values', compressed: false, bytes: 0, sha256: null };
  if (memory.events) {
    const events = memory.events;
    return [{ name, info, events: () => events }];
  }
  if (!memory.values) throw new Error('verifyIntegrity needs file paths, { values } or { events }');
  const values = memory.values;
  return [{ name, info, events: () => valueEvents(values) }];
}
