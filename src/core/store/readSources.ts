// Reads one or several export files into a sink: detects each file's format (or takes the user's choice), reads it
// with the matching reader, maps every value to normalized events, and counts what it could not read. The sink is
// the store itself (loadSources, one thread) or the parse worker's packer (the database worker stores its batches).
import fs from 'node:fs';
import nodePath from 'node:path';
import type { ContainerFormatId, FileSummary, LoadProgress, SkippedLine } from '../../shared/protocol';
import { CONTAINER_FORMATS, detectFormat } from '../ingest/detectFormat';
import { isGzipFile } from '../ingest/lineReader';
import { READERS } from '../ingest/readers';
import type { JsonPathMapping } from '../formats/jsonpathMapping';
import { mapValue } from '../formats/mapValue';
import type { ReadEvent } from '../ingest/readerTypes';
import type { NormalizedEvent } from '../model/normalized';

export const DEFAULT_SKIPPED_LISTED = 1000;
/**
 * How many skipped lines the skipped_lines table keeps at most (the first ones in file order; never fewer than are
 * listed). Every skipped line is still counted (`skipped`): ten million bad lines cost a counter, not a table that
 * grows with them.
 */
export const DEFAULT_SKIPPED_STORED = 10_000;

export interface ReadOptions {
  /** Overrides format detection for every file. */
  format?: ContainerFormatId;
  /** How many skipped lines the summary lists (all are counted). */
  maxSkippedListed?: number;
  /** How many skipped lines are stored (default DEFAULT_SKIPPED_STORED, never fewer than are listed). */
  maxSkippedStored?: number;
  maxValueBytes?: number;
  chunkBytes?: number;
  /** Minimum milliseconds between progress reports. */
  progressEveryMs?: number;
  /** User JSONPath mappings (the workspace's `.auditlens.json`), tried before built-in detection. */
  mappings?: readonly JsonPathMapping[];
}

/** Where read records go. A returned promise is awaited before reading on (back-pressure). */
export interface SourceSink {
  addFile(index: number, file: FileSummary): void;
  addEvent(e: NormalizedEvent): void | Promise<void>;
  addSkipped(s: SkippedLine): void;
  /** Counts so far (no firstRows); `final` once, after the last file. */
  progress(p: LoadProgress, final: boolean): void;
}

export interface ReadResult {
  files: FileSummary[];
  totalBytes: number;
  records: number;
  skipped: number;
  events: number;
}

/** Running counts over every file of a load. */
export interface ReadCounts {
  records: number;
  /** Every skipped line. */
  skipped: number;
  events: number;
  /** Skipped lines offered to the sink, which gets the first `maxStored`. */
  skippedStored: number;
  readonly maxStored: number;
}

export function newCounts(options: ReadOptions): ReadCounts {
  const maxStored = Math.max(options.maxSkippedStored ?? DEFAULT_SKIPPED_STORED, options.maxSkippedListed ?? DEFAULT_SKIPPED_LISTED);
  return { records: 0, skipped: 0, events: 0, skippedStored: 0, maxStored };
}

/** A file's summary before it is read: its size, and its format, detected or chosen by the user. */
export async function describeSource(path: string, bytes: number, options: ReadOptions): Promise<FileSummary> {
  const fileName = nodePath.basename(path);
  const compressed = isGzipFile(path);
  const detection = options.format
    ? { format: options.format, reason: `chosen by the user (${CONTAINER_FORMATS.find((f) => f.id === options.format)?.label})` }
    : await detectFormat(path, fileName, compressed);
  return {
    path, fileName, format: detection.format, formatReason: detection.reason, compressed, bytes,
    lines: 0, blankLines: 0, records: 0, skipped: 0, events: 0, dialects: {},
  };
}

/**
 * Takes one thing a reader yielded: counts it in the file's summary and the load's counts, maps a value to events
 * and hands them to the sink (a returned promise: wait before reading on), or hands the skipped line over.
 */
export function consumeRead(ev: ReadEvent, fileIndex: number, file: FileSummary, counts: ReadCounts, options: ReadOptions, sink: SourceSink): void | Promise<void> {
  file.lines = Math.max(file.lines, ev.loc.line);
  if (ev.kind === 'blank') {
    file.blankLines++;
    return;
  }
  let reason: string;
  if (ev.kind === 'skip') {
    reason = ev.reason;
  } else {
    const mapped = mapValue(ev.value, { fileIndex, ...ev.loc }, { mappings: options.mappings }); // never throws
    if (mapped.ok) {
      file.records++;
      counts.records++;
      file.dialects[mapped.dialect] = (file.dialects[mapped.dialect] ?? 0) + 1;
      file.events += mapped.events.length;
      counts.events += mapped.events.length;
      return addAll(mapped.events, sink);
    }
    reason = mapped.reason;
  }
  file.skipped++;
  counts.skipped++;
  if (counts.skippedStored++ < counts.maxStored) sink.addSkipped({ fileIndex, line: ev.loc.line, byteOffset: ev.loc.byteOffset, reason });
}

function addAll(events: NormalizedEvent[], sink: SourceSink): void | Promise<void> {
  for (let i = 0; i < events.length; i++) {
    const wait = sink.addEvent(events[i]);
    if (wait) return i + 1 < events.length ? wait.then(() => addAll(events.slice(i + 1), sink)) : wait;
  }
}

export async function readSources(paths: readonly string[], options: ReadOptions, sink: SourceSink): Promise<ReadResult> {
  const started = Date.now();
  const sizes = paths.map((p) => fs.statSync(p).size);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const files: FileSummary[] = [];
  const counts = newCounts(options);
  let doneBytes = 0;
  let lastReport = 0;
  const every = options.progressEveryMs ?? 100;
  const report = (bytesRead: number, final: boolean) => {
    const now = Date.now();
    if (final || now - lastReport >= every) {
      lastReport = now;
      sink.progress({ bytesRead, totalBytes, records: counts.records, skipped: counts.skipped, events: counts.events, elapsedMs: now - started }, final);
    }
  };

  for (const [fileIndex, path] of paths.entries()) {
    const file = await describeSource(path, sizes[fileIndex], options);
    sink.addFile(fileIndex, file);
    const reader = READERS[file.format];
    for await (const ev of reader(path, {
      maxValueBytes: options.maxValueBytes,
      chunkBytes: options.chunkBytes,
      onProgress: (n) => report(doneBytes + n, false),
    })) {
      const wait = consumeRead(ev, fileIndex, file, counts, options, sink);
      if (wait) await wait;
    }
    doneBytes += sizes[fileIndex];
    files.push(file);
  }
  report(totalBytes, true);
  return { files, totalBytes, records: counts.records, skipped: counts.skipped, events: counts.events };
}
