// Loads one or several export files into an EventStore: detects each file's format (or takes the user's choice),
// reads it with the matching reader, maps every value to normalized events, and counts what it could not read.
// Shared by the database worker, the CLI and the tests.
import fs from 'node:fs';
import nodePath from 'node:path';
import type { Database } from 'sql.js';
import type { ContainerFormatId, FileSummary, LoadProgress, LoadSummary } from '../../shared/protocol';
import { CONTAINER_FORMATS, detectFormat } from '../ingest/detectFormat';
import { isGzipFile } from '../ingest/lineReader';
import { READERS } from '../ingest/readers';
import type { JsonPathMapping } from '../formats/jsonpathMapping';
import { mapValue } from '../formats/mapValue';
import { EventStore } from './eventStore';
import { BUNDLED_PRICES, type PriceTable } from '../pricing/priceTable';

export const DEFAULT_SKIPPED_LISTED = 1000;
/**
 * How many skipped lines the skipped_lines table keeps at most (the first ones in file order; never fewer than are
 * listed). Every skipped line is still counted (`skipped`): ten million bad lines cost a counter, not a table that
 * grows with them.
 */
export const DEFAULT_SKIPPED_STORED = 10_000;

export interface LoadOptions {
  /** Prices for calls whose log carries no cost (default: the bundled table). */
  prices?: PriceTable;
  /** Overrides format detection for every file. */
  format?: ContainerFormatId;
  /** How many skipped lines the summary lists (all are counted). */
  maxSkippedListed?: number;
  /** How many skipped lines are stored (default DEFAULT_SKIPPED_STORED, never fewer than are listed). */
  maxSkippedStored?: number;
  maxValueBytes?: number;
  chunkBytes?: number;
  onProgress?: (p: LoadProgress) => void;
  /** Minimum milliseconds between progress callbacks. */
  progressEveryMs?: number;
  /** When set, one progress report during the load carries the first this-many events (file order). */
  previewRows?: number;
  /** User JSONPath mappings (the workspace's `.auditlens.json`), tried before built-in detection. */
  mappings?: readonly JsonPathMapping[];
}

export async function loadSources(db: Database, paths: string[], options: LoadOptions = {}): Promise<{ store: EventStore; summary: LoadSummary }> {
  const started = Date.now();
  const store = new EventStore(db, options.prices);
  const sizes = paths.map((p) => fs.statSync(p).size);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const files: FileSummary[] = [];
  let doneBytes = 0;
  let records = 0;
  let skipped = 0; // every skipped line
  let skippedStored = 0; // skipped lines offered to skipped_lines, which keeps the first maxStored
  const maxStored = Math.max(options.maxSkippedStored ?? DEFAULT_SKIPPED_STORED, options.maxSkippedListed ?? DEFAULT_SKIPPED_LISTED);
  let events = 0;
  let lastReport = 0;
  let firstRowsSent = !options.previewRows;
  const every = options.progressEveryMs ?? 100;
  const report = (bytesRead: number, force: boolean) => {
    const now = Date.now();
    if (options.onProgress && (force || now - lastReport >= every)) {
      lastReport = now;
      const progress: LoadProgress = { bytesRead, totalBytes, records, skipped, events, elapsedMs: now - started };
      // Once enough events are in (or after the first second), show them while the rest loads.
      if (!firstRowsSent && !force && (events >= options.previewRows! || now - started > 1000)) {
        progress.firstRows = store.firstRows(options.previewRows!);
        firstRowsSent = true;
      }
      options.onProgress(progress);
    }
  };

  for (const [fileIndex, path] of paths.entries()) {
    const fileName = nodePath.basename(path);
    const compressed = isGzipFile(path);
    const detection = options.format
      ? { format: options.format, reason: `chosen by the user (${CONTAINER_FORMATS.find((f) => f.id === options.format)?.label})` }
      : await detectFormat(path, fileName, compressed);
    const file: FileSummary = {
      path, fileName, format: detection.format, formatReason: detection.reason, compressed, bytes: sizes[fileIndex],
      lines: 0, blankLines: 0, records: 0, skipped: 0, events: 0, dialects: {},
    };
    store.addFile(fileIndex, file);
    const reader = READERS[detection.format];
    for await (const ev of reader(path, {
      maxValueBytes: options.maxValueBytes,
      chunkBytes: options.chunkBytes,
      onProgress: (n) => report(doneBytes + n, false),
    })) {
      file.lines = Math.max(file.lines, ev.loc.line);
      if (ev.kind === 'blank') {
        file.blankLines++;
        continue;
      }
      if (ev.kind === 'skip') {
        file.skipped++;
        skipped++;
        if (skippedStored++ < maxStored) store.addSkipped({ fileIndex, line: ev.loc.line, byteOffset: ev.loc.byteOffset, reason: ev.reason });
        continue;
      }
      const mapped = mapValue(ev.value, { fileIndex, ...ev.loc }, { mappings: options.mappings }); // never throws
      if (!mapped.ok) {
        file.skipped++;
        skipped++;
        if (skippedStored++ < maxStored) store.addSkipped({ fileIndex, line: ev.loc.line, byteOffset: ev.loc.byteOffset, reason: mapped.reason });
        continue;
      }
      file.records++;
      records++;
      file.dialects[mapped.dialect] = (file.dialects[mapped.dialect] ?? 0) + 1;
      for (const e of mapped.events) store.addEvent(e);
      file.events += mapped.events.length;
      events += mapped.events.length;
    }
    doneBytes += sizes[fileIndex];
    files.push(file);
  }
  store.finish();
  report(totalBytes, true);
  const sum = (k: 'lines' | 'blankLines') => files.reduce((n, f) => n + f[k], 0);
  const summary: LoadSummary = {
    title: files.length === 1 ? files[0].fileName : `${files.length} files`,
    files,
    bytes: totalBytes,
    lines: sum('lines'),
    blankLines: sum('blankLines'),
    records,
    skipped,
    skippedLines: store.skippedLines(options.maxSkippedListed ?? DEFAULT_SKIPPED_LISTED),
    elapsedMs: Date.now() - started,
    prices: { date: (options.prices ?? BUNDLED_PRICES).date, source: (options.prices ?? BUNDLED_PRICES).source },
    ...store.totals(),
  };
  return { store, summary };
}
