// Loading on two threads: the parse worker (parseWorker.ts) reads, maps and packs rows while this thread (the
// database worker) stores the batches it sends. Same result as loadSources on one thread (see
// test/unit/parallelLoad.test.ts); the summary is made by the same finishLoad.
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Database } from 'sql.js';
import type { FromParseWorker, LoadSummary, ToParseWorker } from '../shared/protocol';
import { EventStore } from '../core/store/eventStore';
import { finishLoad, loadSources, ProgressForwarder, type LoadOptions } from '../core/store/loadSources';
import type { ReadResult } from '../core/store/readSources';
import { BUNDLED_PRICES } from '../core/pricing/priceTable';

/** The parse worker's JS heap limit: room for a value at the 64 MiB limit (several hundred MB to parse) and more. */
export const PARSE_WORKER_HEAP_MB = 2048;

export async function loadSourcesParallel(
  db: Database,
  paths: string[],
  options: LoadOptions,
  parseWorkerPath: string,
): Promise<{ store: EventStore; summary: LoadSummary }> {
  if (!fs.existsSync(parseWorkerPath)) return loadSources(db, paths, options);
  const started = Date.now();
  const store = new EventStore(db, options.prices);
  const forward = new ProgressForwarder(store, options);
  // A heap limit of its own: a hostile export that exhausts it stops this worker with an error, not the process.
  const worker = new Worker(parseWorkerPath, { resourceLimits: { maxOldGenerationSizeMb: PARSE_WORKER_HEAP_MB } });
  const send = (msg: ToParseWorker) => worker.postMessage(msg);
  try {
    const read = await new Promise<ReadResult>((resolve, reject) => {
      worker.on('message', (msg: FromParseWorker) => {
        try {
          switch (msg.kind) {
            case 'file':
              store.addFile(msg.index, msg.file);
              break;
            case 'batch':
              for (const s of msg.skipped) store.addSkipped(s);
              store.addPacked(msg.events, msg.chunks);
              send({ kind: 'stored' });
              forward.stored();
              break;
            case 'progress':
              forward.progress(msg.progress, false);
              break;
            case 'done':
              resolve(msg.result);
              break;
            case 'failed':
              reject(new Error(msg.message));
              break;
          }
        } catch (err) {
          reject(err);
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the parse worker stopped before the end of the export (exit code ${code})`)));
      const { format, maxSkippedListed, maxSkippedStored, maxValueBytes, chunkBytes, progressEveryMs, mappings } = options;
      send({
        kind: 'start',
        paths,
        options: { format, maxSkippedListed, maxSkippedStored, maxValueBytes, chunkBytes, progressEveryMs, mappings },
        prices: options.prices ?? BUNDLED_PRICES,
      });
    });
    return { store, summary: finishLoad(store, read, options, started) };
  } finally {
    void worker.terminate();
  }
}
