// Shared plumbing of the analysis, findings and export code: the sql.js database behind a store, the source files
// of a load (from the store's `files` table), and a one-pass read of chosen events' content from their exports.
import fs from 'node:fs';
import type { Database } from 'sql.js';
import type { ContainerFormatId, SqlValue } from '../../shared/protocol';
import { mapValue, type MapOptions } from '../formats/mapValue';
import { READERS } from '../ingest/readers';
import type { NormalizedEvent } from '../model/normalized';
import type { EventStore } from '../store/eventStore';
import type { SourceFile } from '../store/readBack';

/** What the analysis functions accept: the store, or its sql.js database directly. */
export type SqlTarget = Database | EventStore;

function isDatabase(t: unknown): t is Database {
  return typeof (t as Database)?.prepare === 'function' && typeof (t as Database)?.exec === 'function';
}

/**
 * The sql.js database of a store. EventStore keeps it in a private field and has no accessor yet, so this reads the
 * field at run time; callers that hold the Database (the worker does) may pass it directly.
 */
export function databaseOf(target: SqlTarget): Database {
  if (isDatabase(target)) return target;
  const db = (target as unknown as { database?: unknown }).database;
  if (isDatabase(db)) return db;
  throw new Error('no sql.js database found behind this store');
}

/** Runs a query and returns every row (for the small, trusted queries of this code only). */
export function queryAll(target: SqlTarget, sql: string, params: SqlValue[] = []): SqlValue[][] {
  const stmt = databaseOf(target).prepare(sql);
  try {
    stmt.bind(params);
    const rows: SqlValue[][] = [];
    while (stmt.step()) rows.push(stmt.get() as SqlValue[]);
    return rows;
  } finally {
    stmt.free();
  }
}

/** A loaded file, as the store recorded it (with its size at load time, to notice a changed file). */
export interface LoadedFile extends SourceFile {
  fileIndex: number;
  fileName: string;
  bytes: number;
}

/** The files of the load, in file_index order, from the store's `files` table. */
export function sourceFilesOf(target: SqlTarget): LoadedFile[] {
  return queryAll(target, 'SELECT file_index, path, file_name, format, compressed, bytes FROM files ORDER BY file_index').map((r) => ({
    fileIndex: r[0] as number,
    path: r[1] as string,
    fileName: r[2] as string,
    format: r[3] as ContainerFormatId,
    compressed: r[4] === 1,
    bytes: r[5] as number,
  }));
}

/** Where an event is, as the store keeps it. */
export interface EventLocation {
  rowid: number;
  fileIndex: number;
  line: number;
  byteOffset: number;
  byteLength: number;
  idx: number;
}

export const LOCATION_COLUMNS = 'rowid, file_index, line, byte_offset, byte_length, idx';

export function locationFromRow(r: SqlValue[], at = 0): EventLocation {
  return {
    rowid: r[at] as number,
    fileIndex: r[at + 1] as number,
    line: r[at + 2] as number,
    byteOffset: r[at + 3] as number,
    byteLength: r[at + 4] as number,
    idx: r[at + 5] as number,
  };
}

export interface ContentPassOptions {
  signal?: AbortSignal;
  /** Called after each event with how many of the chosen events were read so far. */
  onProgress?: (done: number, total: number) => void;
  /** The user JSONPath mappings the load used, so events map the same way again. */
  mappings?: MapOptions['mappings'];
  /** Below this many events in an uncompressed JSON Lines / JSON array file, read each one at its offset instead of streaming the file. */
  directReadBelow?: number;
}

function readRange(fd: number, offset: number, length: number): string {
  const buf = Buffer.alloc(length);
  const n = fs.readSync(fd, buf, 0, length, offset);
  return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
}

/** Throws when a file's size differs from what was loaded: its byte offsets would point at other records. */
export function assertUnchanged(file: { path: string; bytes?: number }): void {
  if (file.bytes === undefined) return;
  const size = fs.statSync(file.path).size;
  if (size !== file.bytes) throw new Error(`${file.path} changed since it was loaded (${file.bytes} bytes then, ${size} now): reload it first`);
}

/**
 * Reads the content of the chosen events (normalized again from their source values) and calls `onEvent` for each,
 * in file order. Each file is read once, whatever its format (gzip and CSV cannot be entered in the middle); small
 * selections in plain JSON Lines or JSON arrays are read at their offsets. Memory: one value at a time.
 */
export async function forEachEventContent(
  files: readonly (SourceFile & { bytes?: number })[],
  locations: readonly EventLocation[],
  onEvent: (loc: EventLocation, event: NormalizedEvent) => void | Promise<void>,
  options: ContentPassOptions = {},
): Promise<void> {
  const byFile = new Map<number, EventLocation[]>();
  for (const l of locations) {
    const list = byFile.get(l.fileIndex) ?? [];
    list.push(l);
    byFile.set(l.fileIndex, list);
  }
  const total = locations.length;
  let done = 0;
  const tick = () => {
    done++;
    if (options.onProgress && (done % 200 === 0 || done === total)) options.onProgress(done, total);
  };
  const directBelow = options.directReadBelow ?? 2000;
  for (const fileIndex of [...byFile.keys()].sort((a, b) => a - b)) {
    options.signal?.throwIfAborted();
    const file = files[fileIndex];
    if (!file) throw new Error(`no source file with index ${fileIndex}`);
    assertUnchanged(file);
    const wanted = byFile.get(fileIndex)!.sort((a, b) => a.byteOffset - b.byteOffset || a.idx - b.idx);
    const base = (l: EventLocation) => ({ fileIndex, line: l.line, byteOffset: l.byteOffset, byteLength: l.byteLength });
    if (!file.compressed && (file.format === 'jsonl' || file.format === 'json-array') && wanted.length < directBelow) {
      const fd = fs.openSync(file.path, 'r');
      try {
        let cached: { offset: number; events: NormalizedEvent[] } | null = null;
        for (const l of wanted) {
          options.signal?.throwIfAborted();
          if (!cached || cached.offset !== l.byteOffset) {
            let value: unknown;
            try {
              value = JSON.parse(readRange(fd, l.byteOffset, l.byteLength));
            } catch {
              throw new Error(`line ${l.line} of ${file.path} no longer holds valid JSON (has the file changed since it was loaded?)`);
            }
            const mapped = mapValue(value, base(l), { mappings: options.mappings });
            cached = { offset: l.byteOffset, events: mapped.ok ? mapped.events : [] };
          }
          const ev = cached.events[l.idx];
          if (ev) await onEvent(l, ev);
          tick();
        }
      } finally {
        fs.closeSync(fd);
      }
      continue;
    }
    const byOffset = new Map<number, EventLocation[]>();
    for (const l of wanted) {
      const list = byOffset.get(l.byteOffset) ?? [];
      list.push(l);
      byOffset.set(l.byteOffset, list);
    }
    let remaining = byOffset.size;
    for await (const ev of READERS[file.format](file.path)) {
      if (remaining === 0) break;
      if (ev.kind !== 'value') continue;
      const here = byOffset.get(ev.loc.byteOffset);
      if (!here) continue;
      options.signal?.throwIfAborted();
      remaining--;
      const mapped = mapValue(ev.value, { fileIndex, ...ev.loc }, { mappings: options.mappings });
      for (const l of here) {
        const e = mapped.ok ? mapped.events[l.idx] : undefined;
        if (e) await onEvent(l, e);
        tick();
      }
    }
  }
}
