// The project's own audit record format ("auditlens/1"): one JSON object per line.
// The generator writes it; the ingest reads it. The full normalized model arrives with the ingest engine;
// this module holds the record shape and the flat row the store keeps for every record.

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface AuditMessage {
  role: Role;
  content: string;
  name?: string;
}

export interface RetrievedChunk {
  document_id: string;
  chunk_id: string;
  score: number;
  text?: string;
}

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  result?: unknown;
}

export type AuditEventType =
  | 'llm.call'
  | 'tool.call'
  | 'retrieval'
  | 'session.start'
  | 'session.end'
  | 'feedback'
  | 'system.document_upload'
  | 'system.document_delete'
  | 'system.config_change'
  | 'access.login'
  | 'access.export'
  | 'security.injection_detected'
  | 'security.request_blocked';

export interface AuditRecord {
  schema: 'auditlens/1';
  seq: number;
  id: string;
  ts: string;
  type: AuditEventType;
  session_id?: string;
  user_id?: string;
  environment?: string;
  provider?: string;
  model?: string;
  response_model?: string;
  operation?: string;
  request?: { temperature?: number; top_p?: number; max_tokens?: number };
  messages?: AuditMessage[];
  response?: { role: 'assistant'; content: string; finish_reason?: string };
  usage?: { input_tokens: number; output_tokens: number; cached_tokens?: number; reasoning_tokens?: number };
  cost_usd?: number;
  latency_ms?: number;
  retrieval?: RetrievedChunk[];
  tool_calls?: ToolCall[];
  status?: 'ok' | 'error' | 'blocked';
  error?: { type: string; message: string };
  feedback?: { rating: 1 | -1; comment?: string; ts: string };
  resolution?: 'resolved' | 'escalated' | 'abandoned';
  tags?: string[];
  code?: { file: string; line: number; function?: string };
  actor?: string;
  document?: { id: string; name: string; bytes?: number };
  change?: { key: string; before: unknown; after: unknown };
  detail?: string;
  prev_hash?: string;
  hash?: string;
}

/** The flat row stored for every record (source location + the columns the overview shows). */
export interface RecordRow {
  line: number;
  byteOffset: number;
  byteLength: number;
  id: string | null;
  seq: number | null;
  ts: string | null;
  type: string;
  sessionId: string | null;
  userId: string | null;
  environment: string | null;
  provider: string | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  costUsd: number | null;
  latencyMs: number | null;
  status: string | null;
  text: string | null;
}

export const PREVIEW_TEXT_CHARS = 400;
