// Reads one event back from its export, content included: the store keeps only where it came from.
// Plain JSON Lines and JSON arrays: a direct read at the byte offset. CSV and gzip-compressed files cannot be
// entered in the middle, so the file is read again from the start up to the value (slower, same result).
import fs from 'node:fs';
import type { ContainerFormatId } from '../../shared/protocol';
import { mapValue } from '../formats/mapValue';
import type { NormalizedEvent } from '../model/normalized';
import { READERS } from '../ingest/readers';

export interface StoredLocation {
  fileIndex: number;
  line: number;
  byteOffset: number;
  byteLength: number;
  idx: number;
}

export interface SourceFile {
  path: string;
  format: ContainerFormatId;
  compressed: boolean;
}

function readRange(path: string, offset: number, length: number): string {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    fs.closeSync(fd);
  }
}

async function findValue(file: SourceFile, loc: StoredLocation): Promise<unknown> {
  for await (const ev of READERS[file.format](file.path)) {
    if (ev.kind === 'value' && ev.loc.byteOffset === loc.byteOffset) return ev.value;
    if (ev.loc.byteOffset > loc.byteOffset) break;
  }
  throw new Error(`line ${loc.line} of ${file.path} no longer holds the record that was loaded (has the file changed?)`);
}

export async function readEventBack(file: SourceFile, loc: StoredLocation): Promise<{ event: NormalizedEvent; source: string }> {
  let value: unknown;
  let source: string;
  if (!file.compressed && (file.format === 'jsonl' || file.format === 'json-array' || file.format === 'json-document')) {
    source = readRange(file.path, loc.byteOffset, loc.byteLength);
    try {
      value = JSON.parse(source);
    } catch {
      throw new Error(`line ${loc.line} of ${file.path} no longer holds valid JSON (has the file changed since it was loaded?)`);
    }
  } else {
    value = await findValue(file, loc);
    source = JSON.stringify(value, null, 2);
  }
  const mapped = mapValue(value, { fileIndex: loc.fileIndex, line: loc.line, byteOffset: loc.byteOffset, byteLength: loc.byteLength });
  const event = mapped.ok ? mapped.events[loc.idx] : undefined;
  if (!event) throw new Error(`line ${loc.line} of ${file.path} no longer holds the event that was loaded (has the file changed?)`);
  return { event, source };
}
