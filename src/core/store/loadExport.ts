// Loads one export file into a RecordStore and returns its summary. Shared by the worker, the tests and the CLI.
import fs from 'node:fs';
import nodePath from 'node:path';
import type { Database } from 'sql.js';
import type { LoadProgress, LoadSummary } from '../../shared/protocol';
import { ingestJsonl } from '../ingest/jsonlIngest';
import { isGzipFile } from '../ingest/lineReader';
import { RecordStore } from './recordStore';

export const DEFAULT_SKIPPED_LISTED = 1000;

export interface LoadOptions {
  /** How many skipped lines the summary lists (all are counted and stored). */
  maxSkippedListed?: number;
  maxLineBytes?: number;
  onProgress?: (p: LoadProgress) => void;
  /** Minimum milliseconds between progress callbacks. */
  progressEveryMs?: number;
}

export async function loadExport(db: Database, path: string, options: LoadOptions = {}): Promise<{ store: RecordStore; summary: LoadSummary }> {
  const started = Date.now();
  const fileName = nodePath.basename(path);
  const totalBytes = fs.statSync(path).size;
  const compressed = isGzipFile(path);
  const store = new RecordStore(db);
  let records = 0;
  let skipped = 0;
  let bytesRead = 0;
  let lastReport = 0;
  const every = options.progressEveryMs ?? 100;
  const report = (force: boolean) => {
    const now = Date.now();
    if (options.onProgress && (force || now - lastReport >= every)) {
      lastReport = now;
      options.onProgress({ bytesRead, totalBytes, records, skipped });
    }
  };
  const counts = await ingestJsonl(
    path,
    fileName,
    {
      record(row) {
        records++;
        store.addRecord(row);
      },
      skipped(line) {
        skipped++;
        store.addSkipped(line);
      },
    },
    {
      maxLineBytes: options.maxLineBytes,
      onProgress(n) {
        bytesRead = n;
        report(false);
      },
    },
  );
  store.finish();
  report(true);
  const totals = store.totals();
  const summary: LoadSummary = {
    fileName,
    format: 'jsonl',
    compressed,
    bytes: totalBytes,
    lines: counts.lines,
    blankLines: counts.blankLines,
    skippedLines: store.skippedLines(options.maxSkippedListed ?? DEFAULT_SKIPPED_LISTED),
    elapsedMs: Date.now() - started,
    ...totals,
  };
  return { store, summary };
}
