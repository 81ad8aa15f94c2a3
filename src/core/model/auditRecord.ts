// The project's own audit record format ("auditlens/1"): one JSON object per line. The sample generator writes
// it; src/core/formats/auditlens.ts maps it to the normalized model. Published as a JSON Schema in
// schema/auditlens-record.schema.json.

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
