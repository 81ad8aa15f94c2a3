// The parse worker: a second worker_thread, started by the database worker for each load. It reads the export
// files (readSources: formats, mapping, pricing) and sends the store's rows packed in transferable buffers, so
// parsing and inserting run on two cores at once. At most MAX_IN_FLIGHT batches wait to be stored (memory stays
// bounded however fast parsing is). Messages: ToParseWorker / FromParseWorker in shared/protocol.ts.
import { parentPort } from 'node:worker_threads';
import { CHUNK_COLUMNS, EVENT_COLUMNS, chunkRowValues, eventRowValues } from '../core/store/eventRow';
import { RowPacker, type PackedRows } from '../core/store/packedRows';
import { readSources } from '../core/store/readSources';
import type { FromParseWorker, SkippedLine, ToParseWorker } from '../shared/protocol';

const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;
const MAX_IN_FLIGHT = 4;

const port = parentPort;
if (!port) throw new Error('parseWorker must run as a worker_thread');

let sent = 0;
let stored = 0;
let wake: (() => void) | undefined;

function post(msg: FromParseWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

const buffers = (p: PackedRows) => [p.cells.buffer, p.nums.buffer, p.text.buffer] as ArrayBuffer[];

async function run(start: Extract<ToParseWorker, { kind: 'start' }>): Promise<void> {
  const events = new RowPacker(EVENT_COLUMNS, BATCH_ROWS);
  const chunks = new RowPacker(CHUNK_COLUMNS + 1, BATCH_ROWS * 2);
  let skipped: SkippedLine[] = [];
  const flush = () => {
    if (events.rows === 0 && skipped.length === 0) return;
    const e = events.take();
    const c = chunks.take();
    post({ kind: 'batch', events: e, chunks: c, skipped }, [...buffers(e), ...buffers(c)]);
    skipped = [];
    sent++;
  };
  const result = await readSources(start.paths, start.options, {
    addFile: (index, file) => {
      flush();
      post({ kind: 'file', index, file });
    },
    addEvent: (e): Promise<void> | undefined => {
      const index = events.rows;
      events.add(eventRowValues(e, start.prices));
      for (const c of chunkRowValues(e)) chunks.add([index, ...c]);
      if (events.rows < BATCH_ROWS && events.bytes < BATCH_BYTES) return undefined;
      flush();
      return sent - stored >= MAX_IN_FLIGHT ? new Promise<void>((resolve) => (wake = resolve)) : undefined;
    },
    addSkipped: (s) => void skipped.push(s),
    progress: (progress, final) => {
      if (!final) post({ kind: 'progress', progress });
    },
  });
  flush();
  post({ kind: 'done', result });
}

port.on('message', (msg: ToParseWorker) => {
  if (msg.kind === 'stored') {
    stored++;
    if (wake && sent - stored < MAX_IN_FLIGHT) {
      const w = wake;
      wake = undefined;
      w();
    }
    return;
  }
  run(msg).catch((err: unknown) => post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }));
});
