// The project's own record format ("auditlens/1", see schema/auditlens-record.schema.json), and generic JSON
// records that use common field names, mapped to NormalizedEvents. One record gives one event.
import { createHash } from 'node:crypto';
import {
  emptyEvent,
  type EventKind,
  type EventStatus,
  type NormalizedChunk,
  type NormalizedEvent,
  type NormalizedMessage,
  type NormalizedToolCall,
  type Provenance,
  type Resolution,
} from '../model/normalized';
import { addMs, arr, clip, contentText, normalizeTimestamp, num, obj, pick, pickPath, str, strArray, type Json } from './values';

const KIND_BY_PREFIX: [RegExp, EventKind][] = [
  [/^(llm|chat|completion|generation|model)\b/i, 'llm'],
  [/^embedding/i, 'embedding'],
  [/^tool/i, 'tool'],
  [/^retriev/i, 'retrieval'],
  [/^agent/i, 'agent'],
  [/^guardrail/i, 'guardrail'],
  [/^session/i, 'session'],
  [/^feedback/i, 'feedback'],
  [/^system\./i, 'system'],
  [/^access\./i, 'access'],
  [/^security\./i, 'security'],
];

function kindOf(type: string, record: Json): EventKind {
  for (const [re, kind] of KIND_BY_PREFIX) if (re.test(type)) return kind;
  if (pick(record, 'model', 'model_name') !== undefined && pick(record, 'messages', 'prompt', 'response') !== undefined) return 'llm';
  return 'other';
}

function messages(value: unknown): NormalizedMessage[] {
  const out: NormalizedMessage[] = [];
  for (const m of arr(value)) {
    const o = obj(m);
    if (!o) continue;
    const content = contentText(o.content);
    out.push({ role: str(o.role) ?? 'unknown', content: content ?? '', ...(str(o.name) ? { name: str(o.name)! } : {}) });
  }
  return out;
}

function toolCalls(value: unknown): NormalizedToolCall[] {
  const out: NormalizedToolCall[] = [];
  for (const t of arr(value)) {
    const o = obj(t);
    if (!o) continue;
    const fn = obj(o.function);
    out.push({
      ...(str(o.id) ? { id: str(o.id)! } : {}),
      name: str(pick(o, 'name')) ?? str(fn?.name) ?? 'unknown',
      arguments: pick(o, 'arguments', 'args', 'input') ?? fn?.arguments,
      result: pick(o, 'result', 'output'),
    });
  }
  return out;
}

function chunks(value: unknown): NormalizedChunk[] {
  return arr(value)
    .map(obj)
    .filter((c): c is Json => c !== null)
    .map((c) => ({
      documentId: str(pick(c, 'document_id', 'documentId', 'doc_id', 'source')),
      chunkId: str(pick(c, 'chunk_id', 'chunkId', 'id')),
      score: num(pick(c, 'score', 'relevance', 'similarity')),
      ...(str(pick(c, 'text', 'content')) !== null ? { text: str(pick(c, 'text', 'content'))! } : {}),
    }));
}

function status(record: Json): EventStatus | null {
  const s = str(record.status)?.toLowerCase();
  if (s === 'ok' || s === 'success' || s === 'succeeded') return 'ok';
  if (s === 'error' || s === 'failed' || s === 'failure') return 'error';
  if (s === 'blocked') return 'blocked';
  if (obj(record.error) || typeof record.error === 'string') return 'error';
  return null;
}

function resolution(value: unknown): Resolution | null {
  const s = str(value);
  return s === 'resolved' || s === 'escalated' || s === 'abandoned' ? s : null;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The preview: the last user message, else the response, else a summary of a system event. */
function preview(ev: NormalizedEvent, record: Json): string | null {
  for (let i = ev.content.input.length - 1; i >= 0; i--) {
    if (ev.content.input[i].role === 'user') return ev.content.input[i].content;
  }
  const prompt = str(pick(record, 'prompt', 'input'));
  if (prompt !== null) return prompt;
  if (ev.content.output.length) return ev.content.output[0].content;
  if (ev.system?.action === 'config_change') return `${ev.system.target ?? 'setting'} changed`;
  if (ev.system?.target) return ev.system.target;
  return ev.system?.detail ?? ev.feedbackComment ?? ev.errorMessage;
}

export function isAuditLensRecord(value: Json): boolean {
  return value.schema === 'auditlens/1';
}

export function mapAuditLensRecord(record: Json, provenance: Provenance): NormalizedEvent {
  const type = str(pick(record, 'type', 'event_type', 'kind', 'event')) ?? 'unknown';
  const ev = emptyEvent(provenance, kindOf(type, record), type);
  const usage = obj(pick(record, 'usage', 'token_usage')) ?? {};
  const request = obj(pick(record, 'request', 'parameters', 'model_parameters')) ?? {};
  const response = obj(record.response);
  const error = obj(record.error);
  const feedback = obj(record.feedback);
  const code = obj(pick(record, 'code', 'source_location'));

  ev.id = str(pick(record, 'id', 'event_id'));
  ev.seq = num(pick(record, 'seq', 'sequence'));
  ev.ts = normalizeTimestamp(pick(record, 'ts', 'timestamp', 'time', 'created_at', 'start_time'));
  ev.endTs = normalizeTimestamp(pick(record, 'end_ts', 'end_time'));
  ev.latencyMs = num(pick(record, 'latency_ms', 'duration_ms'));
  if (ev.latencyMs === null && ev.ts && ev.endTs) ev.latencyMs = Date.parse(ev.endTs) - Date.parse(ev.ts);
  if (ev.endTs === null && ev.ts && ev.latencyMs !== null) ev.endTs = addMs(ev.ts, ev.latencyMs);
  ev.traceId = str(pick(record, 'trace_id', 'traceId'));
  ev.spanId = str(pick(record, 'span_id', 'spanId'));
  ev.parentSpanId = str(pick(record, 'parent_span_id', 'parentSpanId', 'parent_id'));
  ev.sessionId = str(pick(record, 'session_id', 'sessionId'));
  ev.conversationId = str(pick(record, 'conversation_id', 'conversationId'));
  ev.userId = str(pick(record, 'user_id', 'userId', 'user'));
  ev.environment = str(pick(record, 'environment', 'env'));
  ev.service = str(pick(record, 'service', 'service_name', 'app'));
  ev.provider = str(pick(record, 'provider', 'system'));
  ev.requestModel = str(pick(record, 'model', 'model_name', 'request_model'));
  ev.responseModel = str(pick(record, 'response_model')) ?? str(response?.model);
  ev.operation = str(record.operation);
  ev.inputTokens = num(pick(usage, 'input_tokens', 'prompt_tokens', 'input'));
  ev.outputTokens = num(pick(usage, 'output_tokens', 'completion_tokens', 'output'));
  ev.cachedTokens = num(pick(usage, 'cached_tokens', 'cache_read_tokens', 'cache_read_input_tokens'));
  ev.cacheWriteTokens = num(pick(usage, 'cache_write_tokens', 'cache_creation_input_tokens', 'cache_creation_tokens'));
  ev.reasoningTokens = num(pick(usage, 'reasoning_tokens'));
  ev.costUsd = num(pick(record, 'cost_usd', 'cost'));
  ev.temperature = num(request.temperature);
  ev.topP = num(pick(request, 'top_p', 'topP'));
  ev.maxTokens = num(pick(request, 'max_tokens', 'maxTokens', 'max_output_tokens'));
  ev.status = status(record);
  ev.errorType = str(error?.type) ?? (ev.status === 'error' && typeof record.error === 'string' ? 'error' : null);
  ev.errorMessage = str(error?.message) ?? (typeof record.error === 'string' ? record.error : null);
  ev.finishReason = str(pick(response, 'finish_reason')) ?? str(record.finish_reason);
  ev.feedbackRating = num(pick(feedback, 'rating', 'score'));
  ev.feedbackTs = normalizeTimestamp(feedback?.ts);
  ev.feedbackComment = str(feedback?.comment);
  ev.resolution = resolution(record.resolution);
  ev.tags = strArray(record.tags);

  const input = messages(pick(record, 'messages', 'input_messages'));
  const system = input.filter((m) => m.role === 'system').map((m) => m.content);
  ev.content.system = str(record.system_prompt) ?? (system.length ? system.join('\n') : null);
  ev.content.input = input;
  const responseText = response ? contentText(response.content) : str(pick(record, 'completion', 'output'));
  if (responseText !== null) ev.content.output = [{ role: str(response?.role) ?? 'assistant', content: responseText }];
  ev.content.toolCalls = toolCalls(pick(record, 'tool_calls', 'tools'));
  ev.chunks = chunks(pick(record, 'retrieval', 'retrieved_chunks', 'chunks', 'documents'));
  if (code || pickPath(record, 'stacktrace', 'stack')) {
    ev.code = {
      file: str(pick(code, 'file', 'filepath', 'path')),
      line: num(pick(code, 'line', 'lineno')),
      function: str(pick(code, 'function', 'func', 'method')),
      stacktrace: str(pickPath(record, 'code.stacktrace', 'stacktrace', 'stack', 'error.stack')),
    };
  }
  ev.promptHash = str(record.prompt_hash) ?? (ev.content.system ? sha256(ev.content.system) : null);
  ev.integrity = {
    seq: ev.seq,
    prevHash: str(pick(record, 'prev_hash', 'prevHash', 'previous_hash')),
    hash: str(record.hash),
    signature: str(pick(record, 'signature', 'sig')),
  };
  if (ev.kind === 'system' || ev.kind === 'access' || ev.kind === 'security') {
    const doc = obj(record.document);
    const change = obj(record.change);
    ev.system = {
      action: type.replace(/^(system|access|security)\./, ''),
      actor: str(pick(record, 'actor', 'user_id')),
      target: str(change?.key) ?? str(doc?.name) ?? str(doc?.id),
      ...(change ? { before: change.before, after: change.after } : {}),
      detail: str(record.detail),
    };
  }
  ev.preview = clip(preview(ev, record));
  return ev;
}
