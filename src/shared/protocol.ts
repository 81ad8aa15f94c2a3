// Every message that crosses a thread or process boundary: host <-> database worker, host <-> webview.
// Discriminated unions only; both sides switch on `kind` (worker) or `type` (webview) exhaustively.

/** A line of an export that could not become a record, with where and why. */
export interface SkippedLine {
  line: number;
  byteOffset: number;
  reason: string;
}

/** One row of the overview table: the first records of an export, as stored. */
export interface PreviewRow {
  line: number;
  ts: string | null;
  type: string;
  sessionId: string | null;
  userId: string | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  status: string | null;
  text: string | null;
}

export interface LoadSummary {
  fileName: string;
  format: 'jsonl';
  compressed: boolean;
  bytes: number;
  lines: number;
  blankLines: number;
  records: number;
  skipped: number;
  /** The first skipped lines (all of them are counted in `skipped`). */
  skippedLines: SkippedLine[];
  sessions: number;
  users: number;
  models: number;
  firstTs: string | null;
  lastTs: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errors: number;
  elapsedMs: number;
}

export type SqlValue = string | number | null;

export interface QueryResult {
  columns: string[];
  rows: SqlValue[][];
}

// ---------------------------------------------------------------- host -> worker

export type WorkerRequest =
  | { kind: 'load'; id: number; path: string; maxSkippedListed?: number }
  | { kind: 'query'; id: number; sql: string; params?: SqlValue[] }
  | { kind: 'preview'; id: number; limit: number }
  | { kind: 'summary'; id: number };

/** The reply payload for each request kind. */
export interface WorkerReplies {
  load: LoadSummary;
  query: QueryResult;
  preview: PreviewRow[];
  summary: LoadSummary;
}

export type WorkerRequestKind = WorkerRequest['kind'];

// ---------------------------------------------------------------- worker -> host

export interface LoadProgress {
  bytesRead: number;
  totalBytes: number;
  records: number;
  skipped: number;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'reply'; id: number; result: WorkerReplies[WorkerRequestKind] }
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'progress'; id: number; progress: LoadProgress };

// ---------------------------------------------------------------- webview -> host

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'revealLine'; line: number };

// ---------------------------------------------------------------- host -> webview

export type HostToWebview =
  | { type: 'loading'; fileName: string; progress: LoadProgress | null }
  | { type: 'loaded'; summary: LoadSummary; rows: PreviewRow[] }
  | { type: 'failed'; fileName: string; message: string };

/** Compile-time exhaustiveness guard for switches over the unions above. */
export function assertNever(value: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(value)}`);
}
