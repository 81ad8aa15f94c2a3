// The in-memory SQLite (sql.js) store of one export: a row per record with its source location, and every
// skipped line. Keeps metadata and a short preview only; full record text is read back from the export by
// byte offset, which keeps memory bounded (see docs in the README, "Limits").
import type { Database, Statement } from 'sql.js';
import type { LoadSummary, PreviewRow, QueryResult, SkippedLine, SqlValue } from '../../shared/protocol';
import type { RecordRow } from '../model/auditRecord';

export const SCHEMA_SQL = `
CREATE TABLE records (
  line INTEGER PRIMARY KEY,
  byte_offset INTEGER NOT NULL,
  byte_length INTEGER NOT NULL,
  id TEXT,
  seq INTEGER,
  ts TEXT,
  type TEXT NOT NULL,
  session_id TEXT,
  user_id TEXT,
  environment TEXT,
  provider TEXT,
  model TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cached_tokens INTEGER,
  cost_usd REAL,
  latency_ms REAL,
  status TEXT,
  text TEXT
);
CREATE TABLE skipped_lines (
  line INTEGER PRIMARY KEY,
  byte_offset INTEGER NOT NULL,
  reason TEXT NOT NULL
);
`;

const INDEX_SQL = `
CREATE INDEX records_session ON records(session_id, ts);
CREATE INDEX records_ts ON records(ts);
`;

const INSERT_RECORD = `INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;
const BATCH = 5000;

export class RecordStore {
  private insertRecord: Statement;
  private insertSkipped: Statement;
  private pendingInTx = 0;

  constructor(private readonly db: Database) {
    db.run(SCHEMA_SQL);
    this.insertRecord = db.prepare(INSERT_RECORD);
    this.insertSkipped = db.prepare('INSERT INTO skipped_lines VALUES (?,?,?)');
  }

  addRecord(r: RecordRow): void {
    this.beginIfNeeded();
    this.insertRecord.run([
      r.line, r.byteOffset, r.byteLength, r.id, r.seq, r.ts, r.type, r.sessionId, r.userId, r.environment,
      r.provider, r.model, r.inputTokens, r.outputTokens, r.cachedTokens, r.costUsd, r.latencyMs, r.status, r.text,
    ]);
  }

  addSkipped(s: SkippedLine): void {
    this.beginIfNeeded();
    this.insertSkipped.run([s.line, s.byteOffset, s.reason]);
  }

  /** Commits the last batch and builds the indexes. */
  finish(): void {
    if (this.pendingInTx > 0) {
      this.db.run('COMMIT');
      this.pendingInTx = 0;
    }
    this.insertRecord.free();
    this.insertSkipped.free();
    this.db.run(INDEX_SQL);
  }

  private beginIfNeeded(): void {
    if (this.pendingInTx === 0) this.db.run('BEGIN');
    this.pendingInTx++;
    if (this.pendingInTx >= BATCH) {
      this.db.run('COMMIT');
      this.pendingInTx = 0;
    }
  }

  query(sql: string, params: SqlValue[] = []): QueryResult {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const columns = stmt.getColumnNames();
      const rows: SqlValue[][] = [];
      while (stmt.step()) {
        rows.push(stmt.get() as SqlValue[]);
      }
      return { columns, rows };
    } finally {
      stmt.free();
    }
  }

  preview(limit: number): PreviewRow[] {
    const { rows } = this.query(
      `SELECT line, ts, type, session_id, user_id, model, input_tokens, output_tokens, cost_usd, status, text
       FROM records ORDER BY line LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({
      line: r[0] as number,
      ts: r[1] as string | null,
      type: r[2] as string,
      sessionId: r[3] as string | null,
      userId: r[4] as string | null,
      model: r[5] as string | null,
      inputTokens: r[6] as number | null,
      outputTokens: r[7] as number | null,
      costUsd: r[8] as number | null,
      status: r[9] as string | null,
      text: r[10] as string | null,
    }));
  }

  skippedLines(limit: number): SkippedLine[] {
    const { rows } = this.query('SELECT line, byte_offset, reason FROM skipped_lines ORDER BY line LIMIT ?', [limit]);
    return rows.map((r) => ({ line: r[0] as number, byteOffset: r[1] as number, reason: r[2] as string }));
  }

  /** Totals over the stored records; the caller fills in the file facts and line counts. */
  totals(): Pick<
    LoadSummary,
    'records' | 'skipped' | 'sessions' | 'users' | 'models' | 'firstTs' | 'lastTs' | 'inputTokens' | 'outputTokens' | 'costUsd' | 'errors'
  > {
    const r = this.query(
      `SELECT count(*), count(DISTINCT session_id), count(DISTINCT user_id), count(DISTINCT model), min(ts), max(ts),
              coalesce(sum(input_tokens),0), coalesce(sum(output_tokens),0), coalesce(sum(cost_usd),0),
              sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END),
              (SELECT count(*) FROM skipped_lines)
       FROM records`,
    ).rows[0];
    return {
      records: r[0] as number,
      sessions: r[1] as number,
      users: r[2] as number,
      models: r[3] as number,
      firstTs: r[4] as string | null,
      lastTs: r[5] as string | null,
      inputTokens: r[6] as number,
      outputTokens: r[7] as number,
      costUsd: r[8] as number,
      errors: (r[9] as number | null) ?? 0,
      skipped: r[10] as number,
    };
  }
}
