// Loads one or several export files into an EventStore on this thread (the CLI, the tests, and the database worker
// when no parse worker is at hand): readSources feeds the store, then the store derives sessions and indexes.
// The database worker normally parses in a second worker instead (src/worker/parallelLoad.ts); both end in
// finishLoad, so the summary is the same either way.
import type { Database } from 'sql.js';
import type { LoadProgress, LoadSummary } from '../../shared/protocol';
import { EventStore } from './eventStore';
import { BUNDLED_PRICES, type PriceTable } from '../pricing/priceTable';
import { DEFAULT_SKIPPED_LISTED, readSources, type ReadOptions, type ReadResult } from './readSources';

export { DEFAULT_SKIPPED_LISTED, DEFAULT_SKIPPED_STORED } from './readSources';

export interface LoadOptions extends ReadOptions {
  /** Prices for calls whose log carries no cost (default: the bundled table). */
  prices?: PriceTable;
  onProgress?: (p: LoadProgress) => void;
  /** When set, one progress report during the load carries the first this-many events (file order). */
  previewRows?: number;
}

/**
 * Passes progress on, adding the first stored events once (when enough are in, or after the first second) so the
 * view fills in while the rest loads. `stored()` is for a store that fills in batches between progress reports
 * (the two-thread load). The final report goes out from finishLoad, after the store is finished.
 */
export class ProgressForwarder {
  private readonly started = Date.now();
  private firstRowsSent: boolean;
  private last: LoadProgress | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly options: LoadOptions,
  ) {
    this.firstRowsSent = !options.previewRows;
  }

  progress(p: LoadProgress, final: boolean): void {
    if (!this.options.onProgress || final) return;
    this.last = p;
    if (!this.sendFirstRows()) this.options.onProgress(p);
  }

  stored(): void {
    if (this.options.onProgress && this.last) this.sendFirstRows();
  }

  private sendFirstRows(): boolean {
    const n = this.options.previewRows!;
    if (this.firstRowsSent || !(this.store.storedEvents >= n || Date.now() - this.started > 1000)) return false;
    this.firstRowsSent = true;
    this.options.onProgress!({ ...this.last!, events: Math.max(this.last!.events, this.store.storedEvents), firstRows: this.store.firstRows(n) });
    return true;
  }
}

/** Derives sessions and indexes, reports the end, and sums the load up. */
export function finishLoad(store: EventStore, read: ReadResult, options: LoadOptions, started: number): LoadSummary {
  store.finish();
  options.onProgress?.({ bytesRead: read.totalBytes, totalBytes: read.totalBytes, records: read.records, skipped: read.skipped, events: read.events, elapsedMs: Date.now() - started });
  const files = read.files;
  const sum = (k: 'lines' | 'blankLines') => files.reduce((n, f) => n + f[k], 0);
  const prices = options.prices ?? BUNDLED_PRICES;
  return {
    title: files.length === 1 ? files[0].fileName : `${files.length} files`,
    files,
    bytes: read.totalBytes,
    lines: sum('lines'),
    blankLines: sum('blankLines'),
    records: read.records,
    skipped: read.skipped,
    skippedLines: store.skippedLines(options.maxSkippedListed ?? DEFAULT_SKIPPED_LISTED),
    elapsedMs: Date.now() - started,
    prices: { date: prices.date, source: prices.source },
    ...store.totals(),
  };
}

export async function loadSources(db: Database, paths: string[], options: LoadOptions = {}): Promise<{ store: EventStore; summary: LoadSummary }> {
  const started = Date.now();
  const store = new EventStore(db, options.prices);
  const forward = new ProgressForwarder(store, options);
  const read = await readSources(paths, options, {
    addFile: (index, file) => store.addFile(index, file),
    addEvent: (e) => void store.addEvent(e),
    addSkipped: (s) => store.addSkipped(s),
    progress: (p, final) => forward.progress(p, final),
  });
  return { store, summary: finishLoad(store, read, options, started) };
}
