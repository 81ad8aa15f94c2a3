// Maps one parsed JSON object to the flat row the store keeps. Tolerant of common field-name variants;
// never throws: a field of the wrong type becomes null rather than losing the record.
import { PREVIEW_TEXT_CHARS, type RecordRow } from './auditRecord';

type Json = Record<string, unknown>;

export interface SourceLocation {
  line: number;
  byteOffset: number;
  byteLength: number;
}

function pick(obj: Json, ...keys: string[]): unknown {
  for (const key of keys) {
    if (obj[key] !== undefined && obj[key] !== null) return obj[key];
  }
  return undefined;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function clip(text: string | null): string | null {
  if (text === null) return null;
  return text.length > PREVIEW_TEXT_CHARS ? text.slice(0, PREVIEW_TEXT_CHARS) + '…' : text;
}

/** Normalizes a timestamp (ISO string or epoch seconds/milliseconds) to ISO 8601 UTC, or null. */
export function normalizeTimestamp(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = value < 1e11 ? value * 1000 : value;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return null;
}

function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content
      .map((p) => (typeof p === 'string' ? p : str(obj(p)?.text)))
      .filter((p): p is string => p !== null);
    return parts.length ? parts.join('\n') : null;
  }
  return null;
}

/** The text a person would want to see first: the last user message, else the response, else a summary. */
function previewText(record: Json): string | null {
  const messages = pick(record, 'messages', 'input_messages');
  if (Array.isArray(messages)) {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = obj(messages[i]);
      if (m && m.role === 'user') {
        const t = contentText(m.content);
        if (t !== null) return t;
      }
    }
  }
  const prompt = str(pick(record, 'prompt', 'input'));
  if (prompt !== null) return prompt;
  const response = obj(record.response);
  const responseText = response ? contentText(response.content) : str(pick(record, 'completion', 'output'));
  if (responseText !== null) return responseText;
  const change = obj(record.change);
  if (change) return `${str(change.key) ?? 'setting'} changed`;
  const doc = obj(record.document);
  if (doc) return str(doc.name) ?? str(doc.id);
  return str(pick(record, 'detail', 'message'));
}

export function toRecordRow(record: Json, at: SourceLocation): RecordRow {
  const usage = obj(pick(record, 'usage', 'token_usage')) ?? {};
  return {
    line: at.line,
    byteOffset: at.byteOffset,
    byteLength: at.byteLength,
    id: str(pick(record, 'id', 'event_id')),
    seq: num(pick(record, 'seq', 'sequence')),
    ts: normalizeTimestamp(pick(record, 'ts', 'timestamp', 'time', 'created_at')),
    type: str(pick(record, 'type', 'event_type', 'kind')) ?? 'unknown',
    sessionId: str(pick(record, 'session_id', 'sessionId', 'conversation_id')),
    userId: str(pick(record, 'user_id', 'userId', 'user')),
    environment: str(pick(record, 'environment', 'env')),
    provider: str(pick(record, 'provider', 'system')),
    model: str(pick(record, 'model', 'model_name')),
    inputTokens: num(pick(usage, 'input_tokens', 'prompt_tokens')),
    outputTokens: num(pick(usage, 'output_tokens', 'completion_tokens')),
    cachedTokens: num(pick(usage, 'cached_tokens', 'cache_read_tokens')),
    costUsd: num(pick(record, 'cost_usd', 'cost')),
    latencyMs: num(pick(record, 'latency_ms', 'duration_ms')),
    status: str(record.status),
    text: clip(previewText(record)),
  };
}
