// The database worker: a Node worker_thread that owns the sql.js database of one opened export (or of several
// files opened together), so parsing, inserting and querying never block the extension host. It answers
// WorkerRequest messages (see shared/protocol.ts), one at a time, in order.
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { loadSourcesParallel } from './parallelLoad';
import { withOverrides } from '../core/pricing/pricing';
import { verifyIntegrity } from '../core/integrity/verify';
import type { MapOptions } from '../core/formats/mapValue';
import { redactFile } from '../core/redaction/redactFile';
import { previewRecordRedaction, scanForPii } from '../core/redaction/piiViews';
import { runReadOnly, schemaInfo } from '../core/analysis/queryGuard';
import { jsonPathFilter } from '../core/analysis/jsonPathFilter';
import { listSystemEvents } from '../core/analysis/systemEvents';
import { runFindings } from '../core/findings/runFindings';
import { exportRows, filterRowSource, queryRowSource } from '../core/exporting/tabular';
import { createEvidenceBundle } from '../core/exporting/evidenceBundle';
import type { EventStore } from '../core/store/eventStore';
import { openDatabase } from '../core/store/openDatabase';
import { readEventWithContent } from '../core/store/readBack';
import { cleanFilter } from '../core/query/filter';
import { chartData, filterChoices, listSessions, sessionEventIds, storedFigures } from '../core/query/explore';
import { assertNever, type TimelineEvent, type LoadSummary, type WorkerMessage, type WorkerReplies, type WorkerRequest } from '../shared/protocol';

const port = parentPort;
if (!port) {
  throw new Error('dbWorker must run as a worker_thread');
}

let store: EventStore | undefined;
let summary: LoadSummary | undefined;
/** How values were mapped at load, so a read-back maps them the same way. */
let mapOptions: MapOptions = {};

function post(msg: WorkerMessage): void {
  port!.postMessage(msg);
}

function loaded(): { store: EventStore; summary: LoadSummary } {
  if (!store || !summary) throw new Error('no export is loaded in this worker');
  return { store, summary };
}

async function handle(req: WorkerRequest): Promise<WorkerReplies[WorkerRequest['kind']]> {
  switch (req.kind) {
    case 'load': {
      if (store) throw new Error('this worker already holds an export');
      const db = await openDatabase(path.join(__dirname, 'sql-wasm.wasm'));
      const result = await loadSourcesParallel(db, req.paths, {
        format: req.format,
        maxSkippedListed: req.maxSkippedListed,
        previewRows: req.previewRows,
        mappings: req.mappings,
        prices: withOverrides(req.priceOverrides),
        onProgress: (progress) => post({ kind: 'progress', id: req.id, progress }),
      }, path.join(__dirname, 'parseWorker.js'));
      store = result.store;
      mapOptions = { mappings: req.mappings };
      summary = result.summary;
      return summary;
    }
    case 'query':
      return loaded().store.query(req.sql, req.params);
    case 'preview':
      return loaded().store.preview(req.limit, cleanFilter(req.filter));
    case 'choices':
      return filterChoices(loaded().store);
    case 'sessions':
      return listSessions(loaded().store, cleanFilter(req.filter));
    case 'charts':
      return chartData(loaded().store, cleanFilter(req.filter), req.stackBy, req.bucket);
    case 'sessionEvents': {
      const { store: s, summary: sum } = loaded();
      const files = sum.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
      const ids = sessionEventIds(s, req.sessionId);
      const page = ids.slice(req.offset, req.offset + Math.min(req.limit, 500));
      const events: TimelineEvent[] = [];
      for (const rowid of page) {
        const back = await readEventWithContent(files, (id) => s.location(id), (t, sp) => s.linkedMessages(t, sp), rowid, mapOptions);
        const figures = storedFigures(s, rowid);
        if (back && figures) events.push({ rowid, event: back.event, figures, source: back.source });
      }
      return { total: ids.length, offset: req.offset, events };
    }
    case 'summary':
      return loaded().summary;
    case 'event': {
      const { store: s, summary: sum } = loaded();
      const files = sum.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
      return readEventWithContent(files, (id) => s.location(id), (t, sp) => s.linkedMessages(t, sp), req.rowid, mapOptions);
    }
    case 'verify': {
      const { summary: sum } = loaded();
      const abort = new AbortController();
      running.set(req.id, abort);
      try {
        const o = req.options;
        let lastPost = 0;
        return await verifyIntegrity(
          sum.files.map((f) => f.path),
          {
            profile: o.profile,
            config: o.config,
            hmacKey: o.hmacKey ? Buffer.from(o.hmacKey) : undefined,
            publicKeys: o.publicKeys,
            digest: o.digest,
            // A format the user chose for the export applies to its verification too.
            format: sum.files.every((f) => f.formatReason.startsWith('chosen by the user')) ? sum.files[0].format : undefined,
            signal: abort.signal,
            onProgress: (p) => {
              const now = Date.now();
              if (now - lastPost < 100 && p.bytes < p.totalBytes) return;
              lastPost = now;
              post({ kind: 'progress', id: req.id, progress: { bytesRead: p.bytes, totalBytes: p.totalBytes, records: p.records, skipped: 0, events: 0, elapsedMs: 0 } });
            },
          },
        );
      } finally {
        running.delete(req.id);
      }
    }
    case 'scanPii': {
      const { summary: sum } = loaded();
      return scanForPii(sum.files.map((f) => f.path), req.detect, (p) => post({ kind: 'progress', id: req.id, progress: p }), track(req.id));
    }
    case 'redactPreview': {
      const { summary: sum } = loaded();
      const file = sum.files[req.fileIndex];
      if (!file) return null;
      return previewRecordRedaction({ path: file.path, format: file.format, compressed: file.compressed }, req.fileIndex, req.line, req.detect, req.mode);
    }
    case 'redactCopy': {
      const { summary: sum } = loaded();
      const signal = track(req.id);
      const started = Date.now();
      try {
        return await redactFile(sum.files[0].path, req.output, {
          mode: req.mode,
          key: req.key ? Buffer.from(req.key) : undefined,
          detect: req.detect,
          rechain: req.rechain,
          signal,
          onProgress: (records, bytes) =>
            post({ kind: 'progress', id: req.id, progress: { bytesRead: bytes, totalBytes: sum.files[0].bytes, records, skipped: 0, events: 0, elapsedMs: Date.now() - started } }),
        });
      } finally {
        running.delete(req.id);
      }
    }
    case 'sqlQuery':
      return runReadOnly(loaded().store, req.sql, [], { maxRows: req.maxRows });
    case 'schema':
      return schemaInfo(loaded().store);
    case 'jsonPath': {
      const { store: s, summary: sum } = loaded();
      const signal = track(req.id);
      try {
        return await jsonPathFilter(sum.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed })), req.expr, { maxMatches: req.maxMatches, store: s, signal });
      } finally {
        running.delete(req.id);
      }
    }
    case 'saveSelection': {
      const name = `sel_${++selections}`;
      const db = loaded().store.database;
      db.run(`CREATE TEMP TABLE ${name} (rowid INTEGER PRIMARY KEY)`);
      const stmt = db.prepare(`INSERT OR IGNORE INTO temp.${name} VALUES (?)`);
      try {
        for (const r of req.rowids) if (Number.isInteger(r)) stmt.run([r]);
      } finally {
        stmt.free();
      }
      return name;
    }
    case 'findings': {
      const { store: s, summary: sum } = loaded();
      const signal = track(req.id);
      try {
        return await runFindings(s, sum.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed, bytes: f.bytes })), { retentionDays: req.retentionDays, mappings: mapOptions.mappings, signal });
      } finally {
        running.delete(req.id);
      }
    }
    case 'systemEvents': {
      const { store: s, summary: sum } = loaded();
      return listSystemEvents(s, sum.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed, bytes: f.bytes })), { mappings: mapOptions.mappings });
    }
    case 'exportRows': {
      const { store: s, summary: sum } = loaded();
      const signal = track(req.id);
      try {
        const source = 'sql' in req.source ? queryRowSource(s, req.source.sql) : filterRowSource(s, cleanFilter(req.source.filter));
        return await exportRows(source, req.output, { format: req.format, inputPaths: sum.files.map((f) => f.path), signal });
      } finally {
        running.delete(req.id);
      }
    }
    case 'evidenceBundle': {
      const { store: s } = loaded();
      const signal = track(req.id);
      try {
        return await createEvidenceBundle(s, {
          outDir: req.outDir,
          zipPath: req.zipPath,
          selection: 'filter' in req.selection ? { filter: cleanFilter(req.selection.filter) } : req.selection,
          description: req.description,
          attachments: req.attachments,
          signal,
        });
      } finally {
        running.delete(req.id);
      }
    }
    case 'cancel':
      running.get(req.target)?.abort();
      return null;
    default:
      return assertNever(req);
  }
}

/** Saved selections (temporary tables of rowids) made so far. */
let selections = 0;

/** Cancellable requests in progress, by id. */
const running = new Map<number, AbortController>();

/** Registers a cancellable request; returns its signal. */
function track(id: number): AbortSignal {
  const abort = new AbortController();
  running.set(id, abort);
  return abort.signal;
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  if (req.kind === 'cancel') {
    // Not queued: it must reach the request it cancels while that one runs.
    running.get(req.target)?.abort();
    post({ kind: 'reply', id: req.id, result: null });
    return;
  }
  queue = queue.then(async () => {
    try {
      post({ kind: 'reply', id: req.id, result: await handle(req) });
    } catch (err) {
      post({ kind: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) });
    }
  });
});

post({ kind: 'ready' });
