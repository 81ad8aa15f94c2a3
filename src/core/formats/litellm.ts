// LiteLLM (proxy / SDK):
// - the StandardLoggingPayload (kwargs["standard_logging_object"]) that its loggers write (s3, gcs bucket, custom
//   callbacks): one call per value;
// - rows of its LiteLLM_SpendLogs table, exported as JSON (/spend/logs) or CSV (a database export);
// - rows of its LiteLLM_AuditLog table (changed_by, action, table_name, object_id, before_value, updated_values):
//   configuration changes, mapped to 'system' events with action 'config_change' and the before/after values.
import { emptyEvent, type EventKind, type NormalizedEvent, type NormalizedMessage, type NormalizedToolCall, type Provenance } from '../model/normalized';
import { sha256 } from './auditlens';
import { arr, clip, contentText, normalizeTimestamp, num, obj, pick, str, strArray, type Json } from './values';

export function isLiteLlmPayload(value: Json): boolean {
  return (
    typeof value.call_type === 'string' &&
    'response_cost' in value &&
    'startTime' in value &&
    ('model_group' in value || 'model_map_information' in value || 'hidden_params' in value || 'trace_id' in value)
  );
}

export function isLiteLlmSpendLog(value: Json): boolean {
  return (
    typeof value.request_id === 'string' &&
    'spend' in value &&
    ('startTime' in value || 'start_time' in value) &&
    ('call_type' in value || 'api_key' in value || 'prompt_tokens' in value)
  );
}

export function isLiteLlmAuditLog(value: Json): boolean {
  return 'changed_by' in value && typeof value.action === 'string' && typeof value.table_name === 'string' && 'object_id' in value;
}

/** LiteLLM keeps UTC in timestamps without a zone (Postgres `timestamp(3)`); epoch seconds in the payload. */
export function utcTimestamp(value: unknown): string | null {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value.trim())) return normalizeTimestamp(value.trim().replace(' ', 'T') + 'Z');
  return normalizeTimestamp(value);
}

function jsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

function kindOfCall(callType: string | null): EventKind {
  const t = (callType ?? '').toLowerCase();
  if (t.includes('embedding')) return 'embedding';
  if (t.includes('moderation')) return 'guardrail';
  if (/image|speech|transcription|rerank|file|batch/.test(t)) return 'other';
  return 'llm';
}

function messages(value: unknown, toolCalls: NormalizedToolCall[]): NormalizedMessage[] {
  const v = jsonish(value);
  if (typeof v === 'string') return v ? [{ role: 'user', content: v }] : [];
  const out: NormalizedMessage[] = [];
  for (const m of arr(v)) {
    if (typeof m === 'string') {
      out.push({ role: 'user', content: m });
      continue;
    }
    const mo = obj(m);
    if (!mo) continue;
    collectToolCalls(mo, toolCalls);
    out.push({ role: str(mo.role) ?? 'user', content: contentText(mo.content) ?? '' });
  }
  return out;
}

function collectToolCalls(message: Json, toolCalls: NormalizedToolCall[]): void {
  for (const t of arr(message.tool_calls)) {
    const to = obj(t);
    const fn = obj(to?.function);
    if (to) toolCalls.push({ ...(str(to.id) ? { id: str(to.id)! } : {}), name: str(fn?.name) ?? 'unknown', arguments: jsonish(fn?.arguments) });
  }
}

/** The response as LiteLLM logs it: an OpenAI-format ModelResponse, an embedding list, or text. */
function responseOutput(value: unknown, toolCalls: NormalizedToolCall[]): { output: NormalizedMessage[]; finish: string | null; model: string | null; cached: number | null; reasoning: number | null } {
  const v = jsonish(value);
  if (typeof v === 'string') return { output: v ? [{ role: 'assistant', content: v }] : [], finish: null, model: null, cached: null, reasoning: null };
  const o = obj(v);
  const choice = obj(arr(o?.choices)[0]);
  const message = obj(choice?.message);
  const output: NormalizedMessage[] = [];
  if (message) {
    collectToolCalls(message, toolCalls);
    output.push({ role: str(message.role) ?? 'assistant', content: contentText(message.content) ?? '' });
  } else if (typeof choice?.text === 'string') output.push({ role: 'assistant', content: choice.text });
  const usage = obj(o?.usage);
  return {
    output,
    finish: str(choice?.finish_reason),
    model: str(o?.model),
    cached: num(obj(usage?.prompt_tokens_details)?.cached_tokens) ?? num(usage?.cache_read_input_tokens),
    reasoning: num(obj(usage?.completion_tokens_details)?.reasoning_tokens),
  };
}

function finish(ev: NormalizedEvent): void {
  const sys = ev.content.input.filter((m) => m.role === 'system').map((m) => m.content);
  ev.content.system = sys.length ? sys.join('\n') : null;
  ev.promptHash = ev.content.system ? sha256(ev.content.system) : null;
  const lastUser = [...ev.content.input].reverse().find((m) => m.role === 'user');
  ev.preview = clip(lastUser?.content ?? ev.content.output[0]?.content ?? ev.errorMessage);
  if (ev.ts && ev.endTs) ev.latencyMs = Date.parse(ev.endTs) - Date.parse(ev.ts);
}

/** Fields the payload and the spend-log row share (names as in LiteLLM_SpendLogs). */
function common(ev: NormalizedEvent, r: Json, metadata: Json | null): void {
  ev.provider = str(r.custom_llm_provider);
  ev.requestModel = str(r.model_group) ?? str(r.model);
  ev.responseModel = str(r.model);
  ev.operation = str(r.call_type);
  ev.inputTokens = num(r.prompt_tokens);
  ev.outputTokens = num(r.completion_tokens);
  const spendMeta = obj(jsonish(metadata?.spend_logs_metadata));
  const requesterMeta = obj(jsonish(metadata?.requester_metadata));
  ev.sessionId =
    str(pick(r, 'session_id')) ?? str(pick(metadata, 'session_id')) ?? str(pick(spendMeta, 'session_id', 'sessionId')) ?? str(pick(requesterMeta, 'session_id'));
  ev.userId = str(pick(r, 'end_user')) ?? str(pick(metadata, 'user_api_key_end_user_id')) ?? str(pick(r, 'user')) ?? str(pick(metadata, 'user_api_key_user_id'));
  ev.service = str(pick(metadata, 'user_api_key_team_alias', 'user_api_key_team_id')) ?? str(r.team_id);
  ev.environment = str(pick(metadata, 'environment'));
  const tags = jsonish(r.request_tags);
  ev.tags = Array.isArray(tags) ? strArray(tags) : [];
  const cacheHit = r.cache_hit === true || str(r.cache_hit)?.toLowerCase() === 'true';
  if (cacheHit) ev.tags.push('cache_hit');
  const status = str(r.status)?.toLowerCase() ?? str(pick(metadata, 'status'))?.toLowerCase();
  ev.status = status === 'failure' || status === 'error' ? 'error' : status === 'success' ? 'ok' : null;
  const errInfo = obj(jsonish(r.error_information)) ?? obj(jsonish(metadata?.error_information));
  if (ev.status === 'error' || errInfo || typeof r.error_str === 'string') {
    ev.status = 'error';
    ev.errorType = str(pick(errInfo, 'error_class', 'error_code')) ?? 'error';
    ev.errorMessage = str(r.error_str) ?? str(errInfo?.error_message);
  }
}

export function mapLiteLlmPayload(p: Json, provenance: Provenance): NormalizedEvent {
  const ev = emptyEvent(provenance, kindOfCall(str(p.call_type)), str(p.call_type) ?? 'litellm call');
  const metadata = obj(p.metadata);
  ev.id = str(p.id);
  ev.traceId = str(p.trace_id);
  ev.spanId = ev.traceId ? ev.id : null;
  ev.ts = utcTimestamp(p.startTime);
  ev.endTs = utcTimestamp(p.endTime);
  common(ev, p, metadata);
  ev.costUsd = num(p.response_cost);
  const params = obj(p.model_parameters);
  ev.temperature = num(params?.temperature);
  ev.topP = num(params?.top_p);
  ev.maxTokens = num(pick(params, 'max_tokens', 'max_completion_tokens'));
  const toolCalls: NormalizedToolCall[] = [];
  ev.content.input = messages(p.messages, toolCalls);
  const r = responseOutput(p.response, toolCalls);
  ev.content.output = r.output;
  ev.content.toolCalls = toolCalls;
  ev.finishReason = r.finish;
  ev.responseModel = r.model ?? ev.responseModel;
  ev.cachedTokens = r.cached;
  ev.reasoningTokens = r.reasoning;
  finish(ev);
  return ev;
}

export function mapLiteLlmSpendLog(row: Json, provenance: Provenance): NormalizedEvent {
  const ev = emptyEvent(provenance, kindOfCall(str(row.call_type)), str(row.call_type) ?? 'litellm call');
  const metadata = obj(jsonish(row.metadata));
  ev.id = str(row.request_id);
  ev.ts = utcTimestamp(pick(row, 'startTime', 'start_time'));
  ev.endTs = utcTimestamp(pick(row, 'endTime', 'end_time'));
  common(ev, row, metadata);
  ev.costUsd = num(row.spend);
  const toolCalls: NormalizedToolCall[] = [];
  ev.content.input = messages(row.messages, toolCalls);
  const r = responseOutput(row.response, toolCalls);
  ev.content.output = r.output;
  ev.content.toolCalls = toolCalls;
  ev.finishReason = r.finish;
  ev.cachedTokens = r.cached;
  ev.reasoningTokens = r.reasoning;
  finish(ev);
  return ev;
}

export function mapLiteLlmAuditLog(row: Json, provenance: Provenance): NormalizedEvent {
  const table = str(row.table_name) ?? 'table';
  const action = str(row.action) ?? 'change';
  const ev = emptyEvent(provenance, 'system', `litellm.${action}`);
  ev.id = str(row.id);
  ev.ts = utcTimestamp(row.updated_at);
  ev.operation = action;
  const target = `${table}:${str(row.object_id) ?? ''}`;
  ev.system = {
    action: 'config_change',
    actor: str(row.changed_by),
    target,
    before: jsonish(row.before_value) ?? null,
    after: jsonish(row.updated_values) ?? null,
    detail: `${action} ${table} ${str(row.object_id) ?? ''}`.trim() + (str(row.changed_by_api_key) ? ` (key ${str(row.changed_by_api_key)!.slice(0, 8)}…)` : ''),
  };
  ev.status = 'ok';
  ev.preview = clip(`${target} ${action} by ${ev.system.actor ?? 'unknown'}`);
  return ev;
}
