// The normalized model every view reads, whatever the export's format. Documented in docs/schema.md.
// Format mappers (src/core/formats) turn a parsed value into NormalizedEvents; the store keeps the scalar fields
// in SQL and leaves bulky content (messages, chunk text, raw JSON) in the export, read back by its location.

/** What an event is. Views group and color by it. */
export type EventKind =
  | 'llm' // a model call (chat, completion, generate_content)
  | 'embedding'
  | 'tool' // a tool or function call and its result
  | 'retrieval' // a retriever/vector search returning chunks
  | 'agent' // an agent step or invocation
  | 'chain' // another application span (workflow, chain, request handler)
  | 'guardrail'
  | 'message' // a content record linked to a call (e.g. an OTLP gen_ai.user.message log record)
  | 'session' // session start or end
  | 'feedback'
  | 'system' // document upload/delete, configuration change
  | 'access' // login, view, export
  | 'security' // injection detected, request blocked, failed authentication
  | 'other';

export type EventStatus = 'ok' | 'error' | 'blocked';
export type Resolution = 'resolved' | 'escalated' | 'abandoned';

/** Where a normalized row came from: the user can always reach the exact line of the export. */
export interface Provenance {
  /** Index of the source file among the files loaded together (0 for a single export). */
  fileIndex: number;
  line: number;
  byteOffset: number;
  byteLength: number;
  /** Position of the event inside its source value (an OTLP line holds many spans); 0 otherwise. */
  index: number;
}

export interface NormalizedMessage {
  role: string;
  content: string;
  name?: string;
}

export interface NormalizedToolCall {
  id?: string;
  name: string;
  arguments?: unknown;
  result?: unknown;
}

export interface NormalizedChunk {
  documentId: string | null;
  chunkId: string | null;
  score: number | null;
  text?: string;
}

export interface CodeLocation {
  file: string | null;
  line: number | null;
  function: string | null;
  stacktrace: string | null;
}

export interface SystemChange {
  /** What happened: "document_upload", "document_delete", "config_change", "login", "view", "export", "injection_detected", … */
  action: string;
  actor: string | null;
  /** The document or setting concerned. */
  target: string | null;
  before?: unknown;
  after?: unknown;
  detail: string | null;
}

export interface NormalizedEvent {
  provenance: Provenance;
  id: string | null;
  seq: number | null;
  kind: EventKind;
  /** The source's own name for it: the record `type`, the span name, the log `event.name`. */
  type: string;
  ts: string | null;
  endTs: string | null;
  latencyMs: number | null;
  traceId: string | null;
  spanId: string | null;
  parentSpanId: string | null;
  sessionId: string | null;
  /** gen_ai.conversation.id and the like; the session when no session id is found in the event's trace. */
  conversationId: string | null;
  userId: string | null;
  environment: string | null;
  service: string | null;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  operation: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Input tokens served from the prompt cache (included in inputTokens). */
  cachedTokens: number | null;
  /** Input tokens written to the prompt cache (included in inputTokens), e.g. Anthropic cache_creation_input_tokens. */
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  /** Cost in USD when the export logged it (pricing computes it otherwise). */
  costUsd: number | null;
  temperature: number | null;
  topP: number | null;
  maxTokens: number | null;
  status: EventStatus | null;
  errorType: string | null;
  errorMessage: string | null;
  finishReason: string | null;
  feedbackRating: number | null;
  feedbackTs: string | null;
  feedbackComment: string | null;
  resolution: Resolution | null;
  tags: string[];
  /** System instructions, input messages, output messages, tool calls: kept out of the database. */
  content: {
    system: string | null;
    input: NormalizedMessage[];
    output: NormalizedMessage[];
    toolCalls: NormalizedToolCall[];
  };
  chunks: NormalizedChunk[];
  code: CodeLocation | null;
  /** SHA-256 of the system instructions + first user message, to group calls made from the same template. */
  promptHash: string | null;
  integrity: { seq: number | null; prevHash: string | null; hash: string | null; signature: string | null };
  system: SystemChange | null;
  /** A short text for lists: the last user message, the response, or a summary of a system event. */
  preview: string | null;
}

/** A session (conversation), derived from its events after loading. */
export interface NormalizedSession {
  id: string;
  userId: string | null;
  start: string | null;
  end: string | null;
  events: number;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** Logged or priced cost of its calls (unpriced calls not included). */
  costUsd: number;
  /** Model calls with tokens but no cost and no price. */
  unpriced: number;
  errors: number;
  /** Security events and negative feedback. */
  flags: number;
  resolution: Resolution | null;
  tags: string[];
}

export function emptyEvent(provenance: Provenance, kind: EventKind, type: string): NormalizedEvent {
  return {
    provenance,
    id: null,
    seq: null,
    kind,
    type,
    ts: null,
    endTs: null,
    latencyMs: null,
    traceId: null,
    spanId: null,
    parentSpanId: null,
    sessionId: null,
    conversationId: null,
    userId: null,
    environment: null,
    service: null,
    provider: null,
    requestModel: null,
    responseModel: null,
    operation: null,
    inputTokens: null,
    outputTokens: null,
    cachedTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
    costUsd: null,
    temperature: null,
    topP: null,
    maxTokens: null,
    status: null,
    errorType: null,
    errorMessage: null,
    finishReason: null,
    feedbackRating: null,
    feedbackTs: null,
    feedbackComment: null,
    resolution: null,
    tags: [],
    content: { system: null, input: [], output: [], toolCalls: [] },
    chunks: [],
    code: null,
    promptHash: null,
    integrity: { seq: null, prevHash: null, hash: null, signature: null },
    system: null,
    preview: null,
  };
}
