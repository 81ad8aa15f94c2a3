// The database worker: a Node worker_thread that owns one export's sql.js database, so parsing, inserting and
// querying never block the extension host. It answers WorkerRequest messages (see shared/protocol.ts).
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { Database } from 'sql.js';
import { loadExport } from '../core/store/loadExport';
import type { RecordStore } from '../core/store/recordStore';
import { assertNever, type LoadSummary, type WorkerMessage, type WorkerReplies, type WorkerRequest } from '../shared/protocol';
import { openDatabase } from '../core/store/openDatabase';

const port = parentPort;
if (!port) {
  throw new Error('dbWorker must run as a worker_thread');
}

let db: Database | undefined;
let store: RecordStore | undefined;
let summary: LoadSummary | undefined;

function post(msg: WorkerMessage): void {
  port!.postMessage(msg);
}

function requireStore(): RecordStore {
  if (!store) throw new Error('no export is loaded in this worker');
  return store;
}

async function handle(req: WorkerRequest): Promise<WorkerReplies[WorkerRequest['kind']]> {
  switch (req.kind) {
    case 'load': {
      if (store) throw new Error('this worker already holds an export');
      db = await openDatabase(path.join(__dirname, 'sql-wasm.wasm'));
      const loaded = await loadExport(db, req.path, {
        maxSkippedListed: req.maxSkippedListed,
        onProgress: (progress) => post({ kind: 'progress', id: req.id, progress }),
      });
      store = loaded.store;
      summary = loaded.summary;
      return summary;
    }
    case 'query':
      return requireStore().query(req.sql, req.params);
    case 'preview':
      return requireStore().preview(req.limit);
    case 'summary':
      if (!summary) throw new Error('no export is loaded in this worker');
      return summary;
    default:
      return assertNever(req);
  }
}

// Requests run one at a time, in arrival order: sql.js is single-threaded and a query must not interleave a load.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      post({ kind: 'reply', id: req.id, result: await handle(req) });
    } catch (err) {
      post({ kind: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) });
    }
  });
});

post({ kind: 'ready' });
