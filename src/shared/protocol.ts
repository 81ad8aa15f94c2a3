// Every message that crosses a thread or process boundary: host <-> database worker, host <-> webview.
// Discriminated unions only; both sides switch on `kind` (worker) or `type` (webview) exhaustively.
import type { NormalizedEvent } from '../core/model/normalized';
import type { EventFilter } from '../core/query/filter';
import type { Bucket, ChartData, FilterChoices, SessionRow, StackBy, StoredFigures } from '../core/query/explore';
import type { IntegrityConfig } from '../core/integrity/config';
import type { JsonPathMapping } from '../core/formats/jsonpathMapping';
import type { IntegrityReport } from '../core/integrity/reportTypes';
import type { DetectOptions, RedactionMode } from '../core/redaction/types';
import type { RedactionSummary } from '../core/redaction/redactFile';
import type { JsonPathResult } from '../core/analysis/jsonPathFilter';
import type { ReadOnlyResult, SchemaTable } from '../core/analysis/queryGuard';
import type { SystemEvents } from '../core/analysis/systemEvents';
import type { BundleAttachment, BundleSelection, EvidenceBundleResult } from '../core/exporting/evidenceBundle';
import type { ExportFormat, ExportResult } from '../core/exporting/tabular';
import type { Finding as AuditFinding } from '../core/findings/types';
import type { PackedRows } from '../core/store/packedRows';
import type { ReadOptions, ReadResult } from '../core/store/readSources';
import type { PriceTable } from '../core/pricing/priceTable';
export type { AuditFinding, BundleSelection, ExportFormat, JsonPathResult, ReadOnlyResult, SchemaTable, SystemEvents };
export type { DetectOptions, RedactionMode, RedactionSummary };
export type { IntegrityReport };

export type { EventFilter, Bucket, ChartData, FilterChoices, NormalizedEvent, SessionRow, StackBy, StoredFigures };

/** One detected value, as the views see it: never the full value, only a display mask. */
export interface PiiFinding {
  fileIndex: number;
  line: number;
  type: string;
  confidence: number;
  path: string;
  scope: string;
  masked: string;
  /** Where the value sits in the record's pretty-printed text, for highlighting (preview only). */
  start?: number;
  end?: number;
}

export interface PiiScan {
  records: number;
  recordsWithFindings: number;
  total: number;
  byType: Record<string, number>;
  byScope: Record<string, number>;
  bySession: Record<string, number>;
  /** The first findings (all are counted above). */
  findings: PiiFinding[];
  truncated: boolean;
  elapsedMs: number;
}

/** What the host passes to an integrity verification (keys and files it read; the worker reads only the exports). */
export interface VerifyRequestOptions {
  profile?: string;
  /** The "integrity" section of .auditlens.json, paths resolved (only read in a trusted workspace). */
  config?: IntegrityConfig;
  /** The HMAC key from SecretStorage. */
  hmacKey?: Uint8Array;
  /** Public keys, PEM text. */
  publicKeys?: string[];
  /** A digest file path (inside the workspace). */
  digest?: string;
}

/** One event of a timeline: the full event read back, what the store computed for it, and its source text. */
export interface TimelineEvent {
  rowid: number;
  event: NormalizedEvent;
  figures: StoredFigures;
  source: string;
}

/** A line of an export that could not become a record, with where and why. */
export interface SkippedLine {
  /** Index of the file among those loaded together. */
  fileIndex: number;
  line: number;
  byteOffset: number;
  reason: string;
}

/** One row of the overview table: the first events of an export, as stored. */
export interface PreviewRow {
  rowid: number;
  fileIndex: number;
  line: number;
  ts: string | null;
  kind: string;
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

export type ContainerFormatId = 'jsonl' | 'json-array' | 'json-document' | 'csv';

export interface FileSummary {
  path: string;
  fileName: string;
  format: ContainerFormatId;
  /** Why this format: detected from the content, or chosen by the user. */
  formatReason: string;
  compressed: boolean;
  bytes: number;
  /** The last line number read: for JSON Lines every line; for a JSON array or CSV, the line where the last element or row starts. */
  lines: number;
  blankLines: number;
  /** Values read into records. */
  records: number;
  skipped: number;
  events: number;
  /** How many values of each dialect (auditlens, otlp-traces, otlp-logs, generic). */
  dialects: Record<string, number>;
}

export interface LoadSummary {
  /** The export's name, or "N files" when several were loaded together. */
  title: string;
  files: FileSummary[];
  bytes: number;
  lines: number;
  blankLines: number;
  records: number;
  skipped: number;
  /** The first skipped lines (all of them are counted in `skipped`). */
  skippedLines: SkippedLine[];
  events: number;
  eventsByKind: Record<string, number>;
  sessions: number;
  users: number;
  models: number;
  firstTs: string | null;
  lastTs: string | null;
  inputTokens: number;
  outputTokens: number;
  /** Logged cost where the log has it, else priced from the price table (see pricing). */
  costUsd: number;
  loggedCostCalls: number;
  pricedCalls: number;
  /** Model calls with tokens but no logged cost and no price: never counted as zero. */
  unpricedCalls: number;
  unpricedModels: string[];
  /** Security events and negative feedback. */
  flagged: number;
  /** The price table used for calls without a logged cost. */
  prices: { date: string; source: string };
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
  | {
      kind: 'load';
      id: number;
      paths: string[];
      format?: ContainerFormatId;
      maxSkippedListed?: number;
      previewRows?: number;
      /** JSONPath mappings from the workspace's .auditlens.json (validated by the host). */
      mappings?: JsonPathMapping[];
      /** The setting aiAuditLens.prices: USD per 1M tokens by model, laid over the bundled price table. */
      priceOverrides?: Record<string, { input: number; output: number; cacheRead?: number; cacheWrite?: number }>;
    }
  | { kind: 'event'; id: number; rowid: number }
  | { kind: 'query'; id: number; sql: string; params?: SqlValue[] }
  | { kind: 'preview'; id: number; limit: number; filter?: EventFilter }
  | { kind: 'choices'; id: number }
  | { kind: 'sessions'; id: number; filter: EventFilter }
  | { kind: 'sessionEvents'; id: number; sessionId: string; offset: number; limit: number }
  | { kind: 'charts'; id: number; filter: EventFilter; stackBy: StackBy; bucket?: Bucket }
  | { kind: 'verify'; id: number; options: VerifyRequestOptions }
  | { kind: 'scanPii'; id: number; detect: DetectOptions }
  | { kind: 'redactPreview'; id: number; fileIndex: number; line: number; detect: DetectOptions; mode: RedactionMode }
  | { kind: 'redactCopy'; id: number; output: string; mode: RedactionMode; key?: Uint8Array; detect: DetectOptions; rechain: boolean }
  | { kind: 'sqlQuery'; id: number; sql: string; maxRows: number }
  | { kind: 'schema'; id: number }
  | { kind: 'jsonPath'; id: number; expr: string; maxMatches: number }
  | { kind: 'saveSelection'; id: number; rowids: number[] }
  | { kind: 'findings'; id: number; retentionDays?: number }
  | { kind: 'systemEvents'; id: number }
  | { kind: 'exportRows'; id: number; source: { sql: string } | { filter: EventFilter }; output: string; format: ExportFormat }
  | { kind: 'evidenceBundle'; id: number; outDir: string; zipPath?: string; selection: BundleSelection; description: string; attachments: BundleAttachment[] }
  /** Aborts a running cancellable request (verify); handled at once, not queued. */
  | { kind: 'cancel'; id: number; target: number }
  | { kind: 'summary'; id: number };

/** The reply payload for each request kind. */
export interface WorkerReplies {
  load: LoadSummary;
  query: QueryResult;
  preview: { rows: PreviewRow[]; matching: number };
  choices: FilterChoices;
  sessions: SessionRow[];
  sessionEvents: { total: number; offset: number; events: TimelineEvent[] };
  charts: ChartData;
  verify: IntegrityReport;
  scanPii: PiiScan;
  redactPreview: { original: string; redacted: string; findings: PiiFinding[] } | null;
  redactCopy: RedactionSummary;
  cancel: null;
  sqlQuery: ReadOnlyResult;
  schema: SchemaTable[];
  jsonPath: JsonPathResult;
  saveSelection: string;
  findings: AuditFinding[];
  systemEvents: SystemEvents;
  exportRows: ExportResult;
  evidenceBundle: EvidenceBundleResult;
  summary: LoadSummary;
  /** The full normalized event, read back from the export (content included), and its raw source text. */
  event: { event: NormalizedEvent; source: string } | null;
}

export type WorkerRequestKind = WorkerRequest['kind'];

// ---------------------------------------------------------------- worker -> host

export interface LoadProgress {
  bytesRead: number;
  totalBytes: number;
  records: number;
  skipped: number;
  events: number;
  elapsedMs: number;
  /** The first events, sent once while the load goes on so the view fills in before it ends. */
  firstRows?: PreviewRow[];
}

// ------------------------------------------- database worker <-> its parse worker (src/worker/parallelLoad.ts)

/** To the parse worker: what to read, and that one more batch is stored (back-pressure). */
export type ToParseWorker =
  | { kind: 'start'; paths: string[]; options: ReadOptions; prices: PriceTable }
  /** Read these blocks (indexes into blockRanges(size, blockBytes)) of one plain JSON Lines file, in this order. */
  | { kind: 'blocks'; path: string; fileIndex: number; size: number; blockBytes: number; blocks: number[]; options: ReadOptions; prices: PriceTable }
  | { kind: 'stored' };

/** What a block of a file held (FileSummary's counts, for that block; `lines` counted from its first line). */
export type BlockCounts = Pick<FileSummary, 'lines' | 'blankLines' | 'records' | 'skipped' | 'events' | 'dialects'>;

/** From the parse worker, in reading order. */
export type FromParseWorker =
  | { kind: 'file'; index: number; file: FileSummary }
  /** Event rows (eventRowValues), chunk rows led by their event's index in the batch, skipped lines before them. */
  | { kind: 'batch'; events: PackedRows; chunks: PackedRows; skipped: SkippedLine[]; block?: number }
  | { kind: 'blockDone'; block: number; counts: BlockCounts }
  | { kind: 'progress'; progress: LoadProgress }
  | { kind: 'done'; result: ReadResult }
  | { kind: 'failed'; message: string };

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'reply'; id: number; result: WorkerReplies[WorkerRequestKind] }
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'progress'; id: number; progress: LoadProgress };

// ---------------------------------------------------------------- webview -> host
// Each view has its own union, so each panel's handler is exhaustive over exactly the messages it can get.

/** Every view sends these. */
export type CommonToHost =
  | { type: 'ready' }
  | { type: 'revealLine'; fileIndex: number; line: number }
  | { type: 'copyText'; text: string };

export type OverviewToHost =
  | CommonToHost
  | { type: 'showEvent'; rowid: number }
  | { type: 'chooseFormat' }
  | { type: 'setFilter'; filter: EventFilter }
  | { type: 'openTimeline'; sessionId: string; rowid?: number }
  | { type: 'openCharts' }
  | { type: 'verifyIntegrity' }
  | { type: 'goToSource'; rowid: number };

export type TimelineToHost = CommonToHost | { type: 'sessionEvents'; sessionId: string; offset: number } | { type: 'goToSource'; rowid: number };

export type ChartsToHost =
  | CommonToHost
  | { type: 'setFilter'; filter: EventFilter }
  | { type: 'openTimeline'; sessionId: string }
  | { type: 'charts'; stackBy: StackBy; bucket?: Bucket };

export type IntegrityToHost = CommonToHost | { type: 'exportReport'; format: 'json' | 'markdown' } | { type: 'verifyAgain' };

export type RedactionToHost =
  | CommonToHost
  | { type: 'previewRecord'; fileIndex: number; line: number }
  | { type: 'setOptions'; types: string[]; mode: RedactionMode; allowlist: string[] }
  | { type: 'exportCopy' };

export type QueryToHost =
  | CommonToHost
  | { type: 'run'; mode: 'sql' | 'jsonpath'; text: string }
  | { type: 'saveQuery'; mode: 'sql' | 'jsonpath'; text: string }
  | { type: 'useAsFilter'; rowids: number[]; label: string }
  | { type: 'exportResult'; sql: string }
  | { type: 'evidenceBundle'; selection: { sql: string } | { jsonPath: string } };

export type WebviewToHost = OverviewToHost | TimelineToHost | ChartsToHost | IntegrityToHost | RedactionToHost | QueryToHost;

// ---------------------------------------------------------------- host -> webview

export type ToOverview =
  | { type: 'loading'; title: string; progress: LoadProgress | null; firstRows?: PreviewRow[] }
  | { type: 'loaded'; summary: LoadSummary; rows: PreviewRow[]; matching: number; filter: EventFilter; choices: FilterChoices; annotations: Record<string, string> }
  | { type: 'failed'; title: string; message: string }
  | { type: 'event'; rowid: number; event: NormalizedEvent | null; source: string };

export type ToTimeline = { type: 'timeline'; sessionId: string; title: string; total: number; offset: number; events: TimelineEvent[]; focusRowid?: number; session: SessionRow | null };

export type ToCharts = { type: 'charts'; title: string; data: ChartData; filter: EventFilter; prices: { date: string; source: string } };

export type ToIntegrity = { type: 'integrity'; title: string; report: IntegrityReport | null; running: boolean; error?: string };

export type ToRedaction =
  | { type: 'piiScan'; title: string; scan: PiiScan | null; running: boolean; error?: string; allTypes: string[]; enabledTypes: string[]; mode: RedactionMode; allowlist: string[] }
  | { type: 'piiPreview'; fileIndex: number; line: number; original: string; redacted: string; findings: PiiFinding[]; mode: RedactionMode };

export interface SavedQuery {
  name: string;
  mode: 'sql' | 'jsonpath';
  text: string;
}

export type ToQuery =
  | { type: 'queryInit'; title: string; schema: SchemaTable[]; words: string[]; history: SavedQuery[]; saved: SavedQuery[] }
  | { type: 'queryResult'; mode: 'sql'; result: ReadOnlyResult }
  | { type: 'queryResult'; mode: 'jsonpath'; result: JsonPathResult }
  | { type: 'queryError'; message: string }
  | { type: 'queryLists'; history: SavedQuery[]; saved: SavedQuery[] };

export type HostToWebview = ToOverview | ToTimeline | ToCharts | ToIntegrity | ToRedaction | ToQuery;

/** Compile-time exhaustiveness guard for switches over the unions above. */
export function assertNever(value: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(value)}`);
}
