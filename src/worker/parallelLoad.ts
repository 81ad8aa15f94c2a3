// Loading on several threads: parse workers (parseWorker.ts) read, map and pack rows while this thread (the
// database worker) stores the batches they send. One big plain JSON Lines file is split into blocks that the parse
// workers share (every other block each, with two); the batches are stored in block order, so rowids, line numbers
// and everything derived are what one thread would give. Other loads (several files, gzip, CSV, JSON documents) go
// through one parse worker. Same result as loadSources on one thread (test/unit/parallelLoad.test.ts); the summary
// is made by the same finishLoad.
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Database } from 'sql.js';
import type { BlockCounts, FileSummary, FromParseWorker, LoadProgress, LoadSummary, ToParseWorker } from '../shared/protocol';
import { EventStore } from '../core/store/eventStore';
import { finishLoad, loadSources, ProgressForwarder, type LoadOptions } from '../core/store/loadSources';
import { describeSource, newCounts, type ReadOptions, type ReadResult } from '../core/store/readSources';
import { blockRanges } from '../core/ingest/jsonlBlocks';
import { BUNDLED_PRICES } from '../core/pricing/priceTable';

/** A parse worker's JS heap limit: room for a value at the 64 MiB limit (several hundred MB to parse) and more. */
export const PARSE_WORKER_HEAP_MB = 2048;
/**
 * Its young generation: parsing makes garbage at a great rate, and V8's default lets ~40 MB more of it pile up
 * between collections (100k records: peak RSS 296 -> 261 MB, load time within 2%).
 */
export const PARSE_WORKER_YOUNG_MB = 8;

export interface ParallelTuning {
  /** Parse workers for a file split in blocks (default: one fewer than the cores, 1 to 4; 1 means no split). */
  workers?: number;
  /** Block size (default 8 MiB). */
  blockBytes?: number;
  /** Files smaller than this are not split (default 32 MiB). */
  minSplitBytes?: number;
}

/** One core for this thread (storing), the others parse: 1 to 4 parse workers. */
const defaultWorkers = () => Math.max(1, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) - 1));

function readOptionsOf(o: LoadOptions): ReadOptions {
  const { format, maxSkippedListed, maxSkippedStored, maxValueBytes, chunkBytes, progressEveryMs, mappings } = o;
  return { format, maxSkippedListed, maxSkippedStored, maxValueBytes, chunkBytes, progressEveryMs, mappings };
}

/** Starts parse workers and settles when `handle` says so, or rejects on the first failure; always stops them. */
async function withParseWorkers<T>(
  count: number,
  parseWorkerPath: string,
  run: (workers: Worker[], resolve: (v: T) => void, reject: (e: unknown) => void) => (msg: FromParseWorker, from: Worker) => void,
): Promise<T> {
  const workers: Worker[] = [];
  try {
    return await new Promise<T>((resolve, reject) => {
      for (let i = 0; i < count; i++) {
        // A heap limit of its own: a hostile export that exhausts it stops this worker with an error, not the process.
        workers.push(new Worker(parseWorkerPath, { resourceLimits: { maxOldGenerationSizeMb: PARSE_WORKER_HEAP_MB, maxYoungGenerationSizeMb: PARSE_WORKER_YOUNG_MB } }));
      }
      const handle = run(workers, resolve, reject);
      for (const w of workers) {
        w.on('message', (msg: FromParseWorker) => {
          try {
            if (msg.kind === 'failed') reject(new Error(msg.message));
            else handle(msg, w);
          } catch (err) {
            reject(err);
          }
        });
        w.on('error', reject);
        w.on('exit', (code) => reject(new Error(`a parse worker stopped before the end of the export (exit code ${code})`)));
      }
    });
  } finally {
    for (const w of workers) void w.terminate();
  }
}

export async function loadSourcesParallel(
  db: Database,
  paths: string[],
  options: LoadOptions,
  parseWorkerPath: string,
  tuning: ParallelTuning = {},
): Promise<{ store: EventStore; summary: LoadSummary }> {
  if (!fs.existsSync(parseWorkerPath)) return loadSources(db, paths, options);
  const started = Date.now();
  const store = new EventStore(db, options.prices);
  const forward = new ProgressForwarder(store, options);
  const workers = tuning.workers ?? defaultWorkers();
  let read: ReadResult | undefined;
  if (paths.length === 1 && workers > 1) {
    const size = fs.statSync(paths[0]).size;
    if (size >= (tuning.minSplitBytes ?? 32 * 1024 * 1024)) {
      const file = await describeSource(paths[0], size, options);
      if (file.format === 'jsonl' && !file.compressed) read = await loadInBlocks(store, forward, file, options, parseWorkerPath, workers, tuning.blockBytes ?? 8 * 1024 * 1024, started);
    }
  }
  read ??= await loadWhole(store, forward, paths, options, parseWorkerPath);
  return { store, summary: finishLoad(store, read, options, started) };
}

/** One parse worker reads every file in order. */
function loadWhole(store: EventStore, forward: ProgressForwarder, paths: string[], options: LoadOptions, parseWorkerPath: string): Promise<ReadResult> {
  return withParseWorkers<ReadResult>(1, parseWorkerPath, ([worker], resolve) => {
    worker.postMessage({ kind: 'start', paths, options: readOptionsOf(options), prices: options.prices ?? BUNDLED_PRICES } satisfies ToParseWorker);
    return (msg) => {
      switch (msg.kind) {
        case 'file':
          store.addFile(msg.index, msg.file);
          break;
        case 'batch':
          for (const s of msg.skipped) store.addSkipped(s);
          store.addPacked(msg.events, msg.chunks);
          worker.postMessage({ kind: 'stored' } satisfies ToParseWorker);
          forward.stored();
          break;
        case 'progress':
          forward.progress(msg.progress, false);
          break;
        case 'done':
          resolve(msg.result);
          break;
        case 'blockDone':
          break;
      }
    };
  });
}

/** Parse workers share the blocks of one plain JSON Lines file; their batches are stored in block order. */
function loadInBlocks(
  store: EventStore,
  forward: ProgressForwarder,
  file: FileSummary,
  options: LoadOptions,
  parseWorkerPath: string,
  count: number,
  blockBytes: number,
  started: number,
): Promise<ReadResult> {
  const blocks = blockRanges(file.bytes, blockBytes).length;
  store.addFile(0, file);
  const maxStored = newCounts(options).maxStored;
  let skippedStored = 0;
  let next = 0; // the block whose batches are stored now
  let linesBefore = 0;
  let finished = 0;
  const waiting = new Map<number, { batches: { msg: Extract<FromParseWorker, { kind: 'batch' }>; from: Worker }[]; done?: BlockCounts }>();
  const latest: LoadProgress[] = [];
  const slot = (b: number) => {
    let s = waiting.get(b);
    if (!s) waiting.set(b, (s = { batches: [] }));
    return s;
  };
  const storeBatch = (msg: Extract<FromParseWorker, { kind: 'batch' }>, from: Worker) => {
    for (const s of msg.skipped) if (skippedStored++ < maxStored) store.addSkipped({ ...s, line: s.line + linesBefore });
    store.addPacked(msg.events, msg.chunks, linesBefore);
    from.postMessage({ kind: 'stored' } satisfies ToParseWorker);
    forward.stored();
  };
  const drain = () => {
    for (let s = waiting.get(next); s; s = waiting.get(next)) {
      for (const b of s.batches) storeBatch(b.msg, b.from);
      s.batches = [];
      if (!s.done) return;
      const c = s.done;
      file.lines = linesBefore + c.lines;
      file.blankLines += c.blankLines;
      file.records += c.records;
      file.skipped += c.skipped;
      file.events += c.events;
      for (const [d, n] of Object.entries(c.dialects)) file.dialects[d] = (file.dialects[d] ?? 0) + n;
      linesBefore += c.lines;
      waiting.delete(next);
      next++;
    }
  };
  return withParseWorkers<ReadResult>(count, parseWorkerPath, (workers, resolve, reject) => {
    workers.forEach((w, j) => {
      const mine: number[] = [];
      for (let b = j; b < blocks; b += count) mine.push(b);
      w.postMessage({ kind: 'blocks', path: file.path, fileIndex: 0, size: file.bytes, blockBytes, blocks: mine, options: readOptionsOf(options), prices: options.prices ?? BUNDLED_PRICES } satisfies ToParseWorker);
    });
    return (msg, from) => {
      switch (msg.kind) {
        case 'batch':
          slot(msg.block!).batches.push({ msg, from });
          if (msg.block === next) drain();
          break;
        case 'blockDone':
          slot(msg.block).done = msg.counts;
          if (msg.block === next) drain();
          break;
        case 'progress': {
          latest[workers.indexOf(from)] = msg.progress;
          const sum = (k: 'bytesRead' | 'records' | 'skipped' | 'events') => latest.reduce((n, p) => n + (p?.[k] ?? 0), 0);
          forward.progress({ bytesRead: sum('bytesRead'), totalBytes: file.bytes, records: sum('records'), skipped: sum('skipped'), events: sum('events'), elapsedMs: Date.now() - started }, false);
          break;
        }
        case 'done':
          if (++finished < count) break;
          if (next !== blocks) return reject(new Error(`the parse workers ended with block ${next} of ${blocks} not stored`));
          resolve({ files: [file], totalBytes: file.bytes, records: file.records, skipped: file.skipped, events: file.events });
          break;
        case 'file':
          break;
      }
    };
  });
}
