// The in-memory SQLite (sql.js) store of the normalized model: every event's scalar fields and where it came
// from, retrieved chunks (ids and scores), skipped lines, the loaded files, and sessions derived after loading.
// Bulky content (messages, chunk text, raw JSON) stays in the export and is read back by location on demand.
import type { Database, Statement } from 'sql.js';
import type { FileSummary, LoadSummary, PreviewRow, QueryResult, SkippedLine, SqlValue } from '../../shared/protocol';
import type { NormalizedEvent } from '../model/normalized';
import { filterSql, type EventFilter } from '../query/filter';
import type { StoredLocation } from './readBack';
import { BUNDLED_PRICES, type PriceTable } from '../pricing/priceTable';
import { priceCall } from '../pricing/pricing';
import { CHUNK_COLUMNS, EVENT_COLUMN_NAMES, EVENT_COLUMNS, EVENT_LINE_COLUMN, chunkRowValues, eventRowValues } from './eventRow';
import type { PackedRows } from './packedRows';
import { DirectStatement, directOf, type DirectValue } from './sqliteDirect';
import { buildRollups } from './rollups';

// 16 KiB pages (set before the first table): scans ~10% faster and the database ~5% smaller than with 4 KiB.
export const SCHEMA_SQL = `
PRAGMA page_size = 16384;
CREATE TABLE files (
  file_index INTEGER PRIMARY KEY, path TEXT NOT NULL, file_name TEXT NOT NULL, format TEXT NOT NULL,
  format_reason TEXT, compressed INTEGER NOT NULL, bytes INTEGER NOT NULL
);
CREATE TABLE events (
  rowid INTEGER PRIMARY KEY,
  -- First, so a search of the text decodes nothing else of the row (it was last: 25% slower).
  preview TEXT,
  file_index INTEGER NOT NULL, line INTEGER NOT NULL, byte_offset INTEGER NOT NULL, byte_length INTEGER NOT NULL, idx INTEGER NOT NULL,
  id TEXT, seq INTEGER, kind TEXT NOT NULL, type TEXT NOT NULL, ts TEXT, end_ts TEXT, latency_ms REAL,
  trace_id TEXT, span_id TEXT, parent_span_id TEXT, session_id TEXT, conversation_id TEXT, user_id TEXT, environment TEXT, service TEXT,
  provider TEXT, request_model TEXT, response_model TEXT, operation TEXT,
  input_tokens INTEGER, output_tokens INTEGER, cached_tokens INTEGER, cache_write_tokens INTEGER, reasoning_tokens INTEGER,
  cost_usd REAL, cost REAL, cost_source TEXT, price_key TEXT,
  temperature REAL, top_p REAL, max_tokens INTEGER,
  status TEXT, error_type TEXT, error_message TEXT, finish_reason TEXT,
  feedback_rating REAL, feedback_ts TEXT, feedback_comment TEXT, resolution TEXT, tags TEXT,
  code_file TEXT, code_line INTEGER, code_function TEXT, has_stacktrace INTEGER NOT NULL,
  prompt_hash TEXT, prev_hash TEXT, hash TEXT, signature TEXT,
  action TEXT, actor TEXT, target TEXT,
  message_count INTEGER NOT NULL, tool_call_count INTEGER NOT NULL, chunk_count INTEGER NOT NULL
);
-- Indexes from the start: kept up while the events go in (on the database worker, while the parse worker is busy)
-- rather than built by sorting everything after the last one.
CREATE INDEX events_trace ON events(trace_id, span_id);
CREATE INDEX events_session ON events(session_id, ts);
CREATE INDEX events_ts ON events(ts);
CREATE INDEX events_kind ON events(kind);
CREATE TABLE chunks (
  event_rowid INTEGER NOT NULL, position INTEGER NOT NULL, document_id TEXT, chunk_id TEXT, score REAL,
  PRIMARY KEY (event_rowid, position)
);
CREATE TABLE skipped_lines (
  file_index INTEGER NOT NULL, line INTEGER NOT NULL, byte_offset INTEGER NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (file_index, byte_offset)
);
`;

// One operation recorded in parts: a Langfuse create and its updates of the same id sent in later ingestion bodies,
// an OpenAI Batch request line and its output line (same custom_id), a span exported twice. Such events share
// trace_id and span_id (and are not 'message' records). The first in load order stays the event; the later parts
// fill or override its fields (the latest non-null value wins; the start is the earliest, the end the latest; an
// error anywhere wins; content counts add up) and become its linked 'message' records, so their content joins at
// read-back (linkedMessages) and their models, tokens, cost and status are not counted twice. See docs/schema.md.
const MERGED_LATEST = [
  'session_id', 'conversation_id', 'user_id', 'environment', 'service', 'provider', 'request_model', 'response_model', 'operation',
  'input_tokens', 'output_tokens', 'cached_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'temperature', 'top_p', 'max_tokens',
  'error_type', 'error_message', 'finish_reason', 'feedback_rating', 'feedback_ts', 'feedback_comment', 'resolution', 'tags',
  'code_file', 'code_line', 'code_function', 'prompt_hash', 'parent_span_id', 'action', 'actor', 'target',
];
const partsOf = (col: string, order = 'DESC') =>
  `(SELECT x.${col} FROM merged_parts p JOIN events x ON x.rowid = p.part WHERE p.head = events.rowid AND x.${col} IS NOT NULL ORDER BY x.rowid ${order} LIMIT 1)`;
const MERGE_PARTS_SQL = `
CREATE TEMP TABLE merged_parts AS
  SELECT e.rowid AS part, g.head AS head FROM events e
  JOIN (SELECT trace_id, span_id, min(rowid) AS head FROM events
        WHERE kind <> 'message' AND trace_id IS NOT NULL AND span_id IS NOT NULL
        GROUP BY trace_id, span_id HAVING count(*) > 1) g
    ON e.trace_id = g.trace_id AND e.span_id = g.span_id AND e.kind <> 'message' AND e.rowid <> g.head;
CREATE INDEX temp.merged_parts_head ON merged_parts(head);
UPDATE events SET
  ${MERGED_LATEST.map((c) => `${c} = coalesce(${partsOf(c)}, ${c})`).join(',\n  ')},
  ts = (SELECT min(x.ts) FROM events x WHERE x.rowid = events.rowid OR x.rowid IN (SELECT part FROM merged_parts WHERE head = events.rowid)),
  end_ts = (SELECT max(x.end_ts) FROM events x WHERE x.rowid = events.rowid OR x.rowid IN (SELECT part FROM merged_parts WHERE head = events.rowid)),
  latency_ms = coalesce(${partsOf('latency_ms')}, latency_ms),
  status = CASE WHEN status = 'error' OR EXISTS (SELECT 1 FROM merged_parts p JOIN events x ON x.rowid = p.part WHERE p.head = events.rowid AND x.status = 'error')
    THEN 'error' ELSE coalesce(${partsOf('status')}, status) END,
  preview = coalesce(preview, ${partsOf('preview', 'ASC')}),
  has_stacktrace = max(has_stacktrace, coalesce((SELECT max(x.has_stacktrace) FROM merged_parts p JOIN events x ON x.rowid = p.part WHERE p.head = events.rowid), 0)),
  message_count = message_count + (SELECT sum(x.message_count) FROM merged_parts p JOIN events x ON x.rowid = p.part WHERE p.head = events.rowid),
  tool_call_count = tool_call_count + (SELECT sum(x.tool_call_count) FROM merged_parts p JOIN events x ON x.rowid = p.part WHERE p.head = events.rowid),
  chunk_count = chunk_count + (SELECT sum(x.chunk_count) FROM merged_parts p JOIN events x ON x.rowid = p.part WHERE p.head = events.rowid)
WHERE rowid IN (SELECT head FROM merged_parts);
UPDATE events SET latency_ms = round((julianday(end_ts) - julianday(ts)) * 86400000.0, 3)
WHERE rowid IN (SELECT head FROM merged_parts) AND ts IS NOT NULL AND end_ts IS NOT NULL;
UPDATE events SET kind = 'message', parent_span_id = span_id, span_id = NULL, request_model = NULL, response_model = NULL,
  input_tokens = NULL, output_tokens = NULL, cached_tokens = NULL, cache_write_tokens = NULL, reasoning_tokens = NULL,
  cost_usd = NULL, cost = NULL, cost_source = NULL, price_key = NULL, status = NULL, error_type = NULL, error_message = NULL, feedback_rating = NULL
WHERE rowid IN (SELECT part FROM merged_parts);
`;

/** Derived after every event is in: indexes, inherited session/user along span trees, the sessions table. */
const FINISH_SQL = `
UPDATE events SET
  session_id = coalesce(session_id, (SELECT r.session_id FROM events r WHERE r.trace_id = events.trace_id AND r.session_id IS NOT NULL ORDER BY r.parent_span_id IS NOT NULL, r.rowid LIMIT 1)),
  user_id = coalesce(user_id, (SELECT r.user_id FROM events r WHERE r.trace_id = events.trace_id AND r.user_id IS NOT NULL ORDER BY r.parent_span_id IS NOT NULL, r.rowid LIMIT 1))
WHERE trace_id IS NOT NULL AND (session_id IS NULL OR user_id IS NULL);
UPDATE events SET session_id = coalesce(conversation_id,
    (SELECT r.conversation_id FROM events r WHERE r.trace_id = events.trace_id AND r.conversation_id IS NOT NULL ORDER BY r.parent_span_id IS NOT NULL, r.rowid LIMIT 1))
WHERE session_id IS NULL AND (conversation_id IS NOT NULL OR trace_id IS NOT NULL);
UPDATE events SET preview = (
    SELECT m.preview FROM events m
    WHERE m.kind = 'message' AND m.trace_id = events.trace_id AND m.parent_span_id = events.span_id AND m.preview IS NOT NULL
      AND m.type IN ('gen_ai.user.message', 'gen_ai.client.inference.operation.details')
    ORDER BY m.file_index DESC, m.line DESC, m.idx DESC LIMIT 1)
WHERE kind IN ('llm', 'embedding', 'agent') AND preview IS NULL AND span_id IS NOT NULL;
CREATE TABLE sessions AS
  SELECT session_id AS id,
    (SELECT user_id FROM events u WHERE u.session_id = e.session_id AND u.user_id IS NOT NULL ORDER BY u.ts LIMIT 1) AS user_id,
    min(ts) AS start_ts, max(coalesce(end_ts, ts)) AS end_ts, count(*) AS events,
    sum(kind = 'llm') AS llm_calls, coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
    coalesce(sum(cost), 0) AS cost_usd, sum(status = 'error') AS errors, sum(kind = 'security' OR feedback_rating < 0) AS flags,
    (SELECT resolution FROM events r WHERE r.session_id = e.session_id AND r.resolution IS NOT NULL ORDER BY r.ts DESC LIMIT 1) AS resolution,
    (SELECT tags FROM events t WHERE t.session_id = e.session_id AND t.tags IS NOT NULL AND t.kind = 'session' ORDER BY t.ts DESC LIMIT 1) AS tags
  FROM events e WHERE session_id IS NOT NULL GROUP BY session_id;
`;

const INSERT_EVENT = `INSERT INTO events (${EVENT_COLUMN_NAMES.join(', ')}) VALUES (?${',?'.repeat(EVENT_COLUMNS - 1)})`;
const INSERT_CHUNK = `INSERT INTO chunks VALUES (?${',?'.repeat(CHUNK_COLUMNS)})`;
const BATCH = 5000;

export class EventStore {
  private insertEvent: DirectStatement;
  private insertChunk: DirectStatement;
  private insertSkipped: Statement;
  private pendingInTx = 0;
  private nextRowid = 1;

  constructor(
    private readonly db: Database,
    private readonly prices: PriceTable = BUNDLED_PRICES,
  ) {
    // Events go in through SQLite's C API (sqliteDirect.ts), which a database opened by openDatabase comes with.
    const direct = directOf(db);
    if (!direct) throw new Error('EventStore needs a database opened with openDatabase (store/openDatabase.ts)');
    db.run(SCHEMA_SQL);
    this.insertEvent = new DirectStatement(direct, INSERT_EVENT);
    this.insertChunk = new DirectStatement(direct, INSERT_CHUNK);
    this.insertSkipped = db.prepare('INSERT OR REPLACE INTO skipped_lines VALUES (?,?,?,?)');
  }

  /** Events stored so far. */
  get storedEvents(): number {
    return this.nextRowid - 1;
  }

  /** The underlying sql.js database (read-only consumers: the query guard, findings, exports). */
  get database(): Database {
    return this.db;
  }

  addFile(index: number, f: Pick<FileSummary, 'path' | 'fileName' | 'format' | 'formatReason' | 'compressed' | 'bytes'>): void {
    this.db.run('INSERT INTO files VALUES (?,?,?,?,?,?,?)', [index, f.path, f.fileName, f.format, f.formatReason, f.compressed ? 1 : 0, f.bytes]);
  }

  addEvent(e: NormalizedEvent): number {
    return this.addEventRow(eventRowValues(e, this.prices), chunkRowValues(e));
  }

  /** Stores one event given as its row values (eventRow.ts); returns its rowid. */
  addEventRow(values: DirectValue[], chunks: DirectValue[][]): number {
    this.beginIfNeeded(1);
    this.insertEvent.run(values);
    const rowid = this.nextRowid++;
    for (const c of chunks) this.insertChunk.run([rowid, ...c]);
    return rowid;
  }

  /**
   * Stores a batch packed by a parse worker: event rows (eventRowValues) and chunk rows whose first column is their
   * event's index in the batch. `linesBefore` is added to the events' line numbers (a block of a file counts its
   * lines from 1).
   */
  addPacked(events: PackedRows, chunks: PackedRows, linesBefore = 0): void {
    if (events.rows === 0) return;
    this.beginIfNeeded(events.rows);
    const first = this.nextRowid;
    this.insertEvent.runPacked(events, { column: EVENT_LINE_COLUMN, add: linesBefore });
    this.nextRowid += events.rows;
    this.insertChunk.runPacked(chunks, { column: 0, add: first });
  }

  addSkipped(s: SkippedLine): void {
    this.beginIfNeeded(1);
    this.insertSkipped.run([s.fileIndex, s.line, s.byteOffset, s.reason]);
  }

  /** Commits the last batch, links span trees to their sessions, derives sessions, builds indexes. */
  finish(): void {
    if (this.pendingInTx > 0) {
      this.db.run('COMMIT');
      this.pendingInTx = 0;
    }
    this.insertEvent.free();
    this.insertChunk.free();
    this.insertSkipped.free();
    this.db.run(MERGE_PARTS_SQL);
    this.repriceMerged();
    this.db.run(FINISH_SQL);
    buildRollups(this.db);
  }

  /** Prices again the events that absorbed later parts: their model and their tokens may come from different parts. */
  private repriceMerged(): void {
    const heads = this.query(
      `SELECT rowid, kind, coalesce(response_model, request_model), cost_usd, input_tokens, output_tokens, cached_tokens, cache_write_tokens
       FROM events WHERE rowid IN (SELECT head FROM merged_parts)`,
    ).rows;
    for (const r of heads) {
      const billable = r[1] === 'llm' || r[1] === 'embedding' || r[3] !== null;
      const n = (v: SqlValue) => (typeof v === 'number' ? v : null);
      const priced = billable
        ? priceCall({ model: typeof r[2] === 'string' ? r[2] : null, loggedCostUsd: n(r[3]), inputTokens: n(r[4]), outputTokens: n(r[5]), cachedTokens: n(r[6]), cacheWriteTokens: n(r[7]) }, this.prices)
        : null;
      this.db.run('UPDATE events SET cost = ?, cost_source = ?, price_key = ? WHERE rowid = ?', [priced?.costUsd ?? null, priced?.source ?? null, priced?.priceKey ?? null, r[0]]);
    }
    this.db.run('DROP TABLE temp.merged_parts');
  }

  /** Inserts run in transactions of about BATCH rows (a batch from the parse worker is never split). */
  private beginIfNeeded(rows: number): void {
    if (this.pendingInTx >= BATCH) {
      this.db.run('COMMIT');
      this.pendingInTx = 0;
    }
    if (this.pendingInTx === 0) this.db.run('BEGIN');
    this.pendingInTx += rows;
  }

  query(sql: string, params: SqlValue[] = []): QueryResult {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const columns = stmt.getColumnNames();
      const rows: SqlValue[][] = [];
      while (stmt.step()) rows.push(stmt.get() as SqlValue[]);
      return { columns, rows };
    } finally {
      stmt.free();
    }
  }

  /** The first events in time order (after loading) that match the filter, and how many match in all. */
  preview(limit: number, filter: EventFilter = {}): { rows: PreviewRow[]; matching: number } {
    const { where, params } = filterSql(filter);
    const matching = this.query(`SELECT count(*) FROM events WHERE ${where}`, params).rows[0][0] as number;
    return { rows: this.previewRows(`WHERE ${where} ORDER BY coalesce(ts, '9999'), file_index, line, idx LIMIT ?`, limit, params), matching };
  }

  /** The first events in file order, cheap while loading (no sort over the whole table). */
  firstRows(limit: number): PreviewRow[] {
    return this.previewRows('ORDER BY rowid LIMIT ?', limit);
  }

  private previewRows(orderAndLimit: string, limit: number, params: SqlValue[] = []): PreviewRow[] {
    const { rows } = this.query(
      `SELECT rowid, file_index, line, ts, kind, type, session_id, user_id, coalesce(response_model, request_model),
              input_tokens, output_tokens, cost, status, preview
       FROM events ${orderAndLimit}`,
      [...params, limit],
    );
    return rows.map((r) => ({
      rowid: r[0] as number,
      fileIndex: r[1] as number,
      line: r[2] as number,
      ts: r[3] as string | null,
      kind: r[4] as string,
      type: r[5] as string,
      sessionId: r[6] as string | null,
      userId: r[7] as string | null,
      model: r[8] as string | null,
      inputTokens: r[9] as number | null,
      outputTokens: r[10] as number | null,
      costUsd: r[11] as number | null,
      status: r[12] as string | null,
      text: r[13] as string | null,
    }));
  }

  skippedLines(limit: number): SkippedLine[] {
    const { rows } = this.query('SELECT file_index, line, byte_offset, reason FROM skipped_lines ORDER BY file_index, byte_offset LIMIT ?', [limit]);
    return rows.map((r) => ({ fileIndex: r[0] as number, line: r[1] as number, byteOffset: r[2] as number, reason: r[3] as string }));
  }

  /** Content records (OTLP log records) that belong to a span: the join of traces and logs. */
  linkedMessages(traceId: string, spanId: string): number[] {
    return this.query(
      "SELECT rowid FROM events WHERE kind = 'message' AND trace_id = ? AND parent_span_id = ? ORDER BY file_index, line, idx",
      [traceId, spanId],
    ).rows.map((r) => r[0] as number);
  }

  /** Where an event came from, to read it back. */
  location(rowid: number): StoredLocation | null {
    const r = this.query(
      `SELECT file_index, line, byte_offset, byte_length, idx, session_id, user_id, request_model, response_model, input_tokens, output_tokens,
              cached_tokens, status, error_type, error_message, end_ts, latency_ms, finish_reason
       FROM events WHERE rowid = ?`,
      [rowid],
    ).rows[0];
    if (!r) return null;
    const v = <T>(i: number) => r[i] as T;
    return {
      fileIndex: v(0), line: v(1), byteOffset: v(2), byteLength: v(3), idx: v(4),
      derived: {
        sessionId: v(5), userId: v(6), requestModel: v(7), responseModel: v(8), inputTokens: v(9), outputTokens: v(10), cachedTokens: v(11),
        status: v(12), errorType: v(13), errorMessage: v(14), endTs: v(15), latencyMs: v(16), finishReason: v(17),
      },
    };
  }


  totals(): Pick<
    LoadSummary,
    | 'events' | 'eventsByKind' | 'sessions' | 'users' | 'models' | 'firstTs' | 'lastTs' | 'inputTokens' | 'outputTokens' | 'costUsd' | 'errors'
    | 'unpricedCalls' | 'unpricedModels' | 'flagged' | 'loggedCostCalls' | 'pricedCalls'
  > {
    const r = this.query(
      `SELECT count(*), count(DISTINCT user_id), count(DISTINCT coalesce(request_model, response_model)), min(ts), max(coalesce(end_ts, ts)),
              coalesce(sum(input_tokens),0), coalesce(sum(output_tokens),0), coalesce(sum(cost),0),
              coalesce(sum(status = 'error'),0), (SELECT count(*) FROM sessions),
              coalesce(sum(cost_source = 'unpriced'),0), coalesce(sum(kind = 'security' OR feedback_rating < 0),0),
              coalesce(sum(cost_source = 'logged'),0), coalesce(sum(cost_source = 'priced'),0)
       FROM events`,
    ).rows[0];
    const byKind: Record<string, number> = {};
    for (const [kind, n] of this.query('SELECT kind, count(*) FROM events GROUP BY kind ORDER BY count(*) DESC').rows) byKind[kind as string] = n as number;
    return {
      events: r[0] as number,
      users: r[1] as number,
      models: r[2] as number,
      firstTs: r[3] as string | null,
      lastTs: r[4] as string | null,
      inputTokens: r[5] as number,
      outputTokens: r[6] as number,
      costUsd: r[7] as number,
      errors: r[8] as number,
      sessions: r[9] as number,
      unpricedCalls: r[10] as number,
      flagged: r[11] as number,
      loggedCostCalls: r[12] as number,
      pricedCalls: r[13] as number,
      unpricedModels: this.query("SELECT DISTINCT coalesce(response_model, request_model, '(no model)') FROM events WHERE cost_source = 'unpriced' ORDER BY 1").rows.map((x) => String(x[0])),
      eventsByKind: byKind,
    };
  }
}
