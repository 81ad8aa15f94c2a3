// Langfuse, in its two shapes:
// - the UI / public API export: traces (TraceWithDetails: id, timestamp, name, userId, sessionId, tags, release,
//   environment, htmlPath, observations, scores, …) and observations (ObservationsView: id, traceId, type
//   SPAN/GENERATION/EVENT/…, startTime, endTime, completionStartTime, model, modelParameters, input, output, usage,
//   usageDetails, costDetails, level, statusMessage, parentObservationId, …) as JSON, JSON Lines or CSV rows;
// - the SDK ingestion request body {"batch":[{id, type, timestamp, body}], "metadata":{…}} with trace-create,
//   span-create/update, generation-create/update, event-create, score-create, where a later create/update of the same
//   id updates the earlier one. Inside one body the mapper merges them; across bodies (lines) the store does (events
//   with the same trace and span id, see MERGE_PARTS_SQL in eventStore.ts).
//
// A trace is an event of kind 'chain' whose span id is the trace id; an observation's parent is its
// parentObservationId, else the trace, so observations inherit the trace's session and user.
import { emptyEvent, type EventKind, type NormalizedEvent, type NormalizedMessage, type NormalizedToolCall, type Provenance } from '../model/normalized';
import { sha256 } from './auditlens';
import { arr, clip, contentText, normalizeTimestamp, num, obj, pick, str, strArray, type Json, jsonText } from './values';

const OBSERVATION_KIND: Record<string, EventKind> = {
  GENERATION: 'llm',
  SPAN: 'chain',
  EVENT: 'other',
  AGENT: 'agent',
  TOOL: 'tool',
  CHAIN: 'chain',
  RETRIEVER: 'retrieval',
  EVALUATOR: 'other',
  EMBEDDING: 'embedding',
  GUARDRAIL: 'guardrail',
};

const INGESTION_EVENT = /^(?:(trace|score|observation|span|generation|event|agent|tool|chain|retriever|evaluator|embedding|guardrail)-(create|update)|sdk-log)$/;

/** Fields only Langfuse's observation view (or its ingestion body) has, beside id/type/startTime/traceId. */
const OBSERVATION_MARKERS = ['level', 'parentObservationId', 'completionStartTime', 'modelParameters', 'usageDetails', 'costDetails', 'statusMessage', 'calculatedTotalCost', 'promptId'];
/** Fields of Langfuse's trace view that generic records do not have together. */
const TRACE_MARKERS = ['htmlPath', 'observations', 'scores', 'bookmarked', 'public', 'release', 'externalId', 'projectId'];

export function isLangfuseIngestion(value: Json): boolean {
  const batch = value.batch;
  if (!Array.isArray(batch) || batch.length === 0) return false;
  return batch.slice(0, 20).every((e) => {
    const o = obj(e);
    return o !== null && typeof o.type === 'string' && INGESTION_EVENT.test(o.type) && (obj(o.body) !== null || o.type === 'sdk-log');
  });
}

export function isLangfuseObservation(value: Json): boolean {
  return (
    typeof value.id === 'string' &&
    typeof value.type === 'string' &&
    OBSERVATION_KIND[value.type] !== undefined &&
    value.startTime !== undefined &&
    'traceId' in value &&
    OBSERVATION_MARKERS.some((k) => k in value)
  );
}

export function isLangfuseTrace(value: Json): boolean {
  if (typeof value.id !== 'string' || value.timestamp === undefined || 'type' in value) return false;
  const markers = TRACE_MARKERS.filter((k) => k in value).length;
  return markers >= 2 && ('htmlPath' in value || 'observations' in value || 'scores' in value || 'bookmarked' in value) && ('userId' in value || 'sessionId' in value || 'name' in value);
}

/** Input/output as Langfuse stores it (a string, OpenAI messages, {messages}, one message, a Responses item, or any JSON). */
function lfMessages(value: unknown, defaultRole: string, toolCalls: NormalizedToolCall[]): NormalizedMessage[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [{ role: defaultRole, content: value }];
  const o = obj(value);
  const list = Array.isArray(value) ? value : Array.isArray(o?.messages) ? (o!.messages as unknown[]) : o && (typeof o.role === 'string' || o.type === 'message') ? [o] : null;
  if (!list || !list.every((m) => obj(m) && (typeof obj(m)!.role === 'string' || obj(m)!.type === 'message'))) {
    return [{ role: defaultRole, content: jsonText(value) }];
  }
  return list.map((m) => {
    const mo = obj(m)!;
    for (const t of arr(mo.tool_calls)) {
      const to = obj(t);
      const fn = obj(to?.function);
      if (!to) continue;
      toolCalls.push({ ...(str(to.id) ? { id: str(to.id)! } : {}), name: str(fn?.name) ?? str(to.name) ?? 'unknown', arguments: parseArgs(fn?.arguments ?? to.arguments) });
    }
    const name = str(mo.name);
    return { role: str(mo.role) ?? 'assistant', content: contentText(mo.content) ?? '', ...(name ? { name } : {}) };
  });
}

function parseArgs(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function timing(ev: NormalizedEvent, start: unknown, end: unknown, latencySeconds: unknown): void {
  ev.ts = normalizeTimestamp(start);
  ev.endTs = normalizeTimestamp(end);
  if (ev.ts && ev.endTs) ev.latencyMs = Date.parse(ev.endTs) - Date.parse(ev.ts);
  else if (num(latencySeconds) !== null) {
    const ms = Math.round(num(latencySeconds)! * 1000);
    ev.latencyMs = Number.isFinite(ms) ? ms : null;
  }
}

function finishContent(ev: NormalizedEvent): void {
  const sys = ev.content.input.filter((m) => m.role === 'system').map((m) => m.content);
  if (sys.length) ev.content.system = sys.join('\n');
  ev.promptHash = ev.content.system ? sha256(ev.content.system) : null;
  const lastUser = [...ev.content.input].reverse().find((m) => m.role === 'user');
  ev.preview = clip(lastUser?.content ?? ev.content.input[0]?.content ?? ev.content.output[0]?.content ?? ev.errorMessage ?? null);
}

function tags(value: unknown): string[] {
  if (typeof value === 'string') {
    const parsed = parseArgs(value);
    return Array.isArray(parsed) ? strArray(parsed) : value ? [value] : [];
  }
  return strArray(value);
}

export function mapLangfuseTrace(t: Json, provenance: Provenance): NormalizedEvent {
  const ev = emptyEvent(provenance, 'chain', str(t.name) ?? 'trace');
  ev.id = str(t.id);
  ev.traceId = ev.id;
  ev.spanId = ev.id;
  ev.operation = 'trace';
  timing(ev, pick(t, 'timestamp', 'startTime'), t.endTime, t.latency);
  ev.sessionId = str(t.sessionId);
  ev.userId = str(t.userId);
  ev.environment = str(t.environment);
  ev.service = str(pick(t, 'release', 'version'));
  ev.tags = tags(t.tags);
  const toolCalls: NormalizedToolCall[] = [];
  ev.content.input = lfMessages(t.input, 'user', toolCalls);
  ev.content.output = lfMessages(t.output, 'assistant', toolCalls);
  ev.content.toolCalls = toolCalls;
  finishContent(ev);
  return ev;
}

export function mapLangfuseObservation(o: Json, observationType: string, provenance: Provenance): NormalizedEvent {
  const type = observationType.toUpperCase();
  const ev = emptyEvent(provenance, OBSERVATION_KIND[type] ?? 'other', str(o.name) ?? type.toLowerCase());
  ev.id = str(o.id);
  ev.traceId = str(o.traceId);
  ev.spanId = ev.id;
  ev.parentSpanId = str(o.parentObservationId) ?? ev.traceId;
  ev.operation = type.toLowerCase();
  timing(ev, o.startTime, o.endTime, o.latency);
  ev.environment = str(o.environment);
  ev.service = str(o.version);
  const metadata = obj(o.metadata);
  ev.sessionId = str(pick(o, 'sessionId')) ?? str(pick(metadata, 'session_id', 'sessionId'));
  ev.userId = str(pick(o, 'userId')) ?? str(pick(metadata, 'user_id', 'userId'));
  ev.requestModel = str(o.model);
  const params = obj(o.modelParameters);
  ev.temperature = num(params?.temperature);
  ev.topP = num(pick(params, 'top_p', 'topP'));
  ev.maxTokens = num(pick(params, 'max_tokens', 'maxTokens', 'max_completion_tokens', 'max_output_tokens'));
  const usage = obj(o.usage);
  const details = obj(o.usageDetails);
  ev.inputTokens = num(pick(details, 'input', 'prompt_tokens', 'input_tokens')) ?? num(pick(usage, 'input', 'promptTokens')) ?? num(o.promptTokens);
  ev.outputTokens = num(pick(details, 'output', 'completion_tokens', 'output_tokens')) ?? num(pick(usage, 'output', 'completionTokens')) ?? num(o.completionTokens);
  ev.cachedTokens = num(pick(details, 'input_cached_tokens', 'cache_read_input_tokens', 'input_cache_read', 'cached_tokens'));
  ev.cacheWriteTokens = num(pick(details, 'cache_creation_input_tokens', 'input_cache_creation', 'input_cache_write'));
  ev.reasoningTokens = num(pick(details, 'output_reasoning_tokens', 'output_reasoning', 'reasoning_tokens'));
  ev.costUsd = num(obj(o.costDetails)?.total) ?? num(o.calculatedTotalCost) ?? num(usage?.totalCost);
  const level = str(o.level)?.toUpperCase() ?? null;
  const statusMessage = str(o.statusMessage);
  if (level === 'ERROR') {
    ev.status = 'error';
    ev.errorMessage = statusMessage;
    ev.errorType = statusMessage?.match(/^(\w*Error)\b/)?.[1] ?? 'ERROR';
  } else if (level !== null || o.output !== undefined) ev.status = 'ok';
  const toolCalls: NormalizedToolCall[] = [];
  ev.content.input = lfMessages(o.input, 'user', toolCalls);
  ev.content.output = lfMessages(o.output, 'assistant', toolCalls);
  ev.content.toolCalls = toolCalls;
  finishContent(ev);
  if (!ev.preview && statusMessage) ev.preview = clip(statusMessage);
  return ev;
}

export function mapLangfuseScore(s: Json, provenance: Provenance, fallbackTs?: unknown): NormalizedEvent {
  const ev = emptyEvent(provenance, 'feedback', str(s.name) ?? 'score');
  ev.id = str(s.id);
  ev.traceId = str(s.traceId);
  ev.spanId = ev.id;
  ev.parentSpanId = str(s.observationId) ?? ev.traceId;
  ev.sessionId = str(s.sessionId);
  ev.ts = normalizeTimestamp(pick(s, 'timestamp', 'createdAt') ?? fallbackTs);
  ev.feedbackTs = ev.ts;
  ev.feedbackRating = num(s.value);
  ev.feedbackComment = str(s.comment) ?? (typeof s.value === 'string' ? s.value : str(s.stringValue));
  ev.environment = str(s.environment);
  ev.preview = clip(ev.feedbackComment ?? (ev.feedbackRating !== null ? `${ev.type}: ${ev.feedbackRating}` : null));
  return ev;
}

/** One trace row of the export; a trace with full observations/scores (GET /traces/{id}) gives them too. */
export function mapLangfuseTraceRecord(t: Json, base: Omit<Provenance, 'index'>): NormalizedEvent[] {
  const out = [mapLangfuseTrace(t, { ...base, index: 0 })];
  for (const o of arr(t.observations)) {
    const oo = obj(o);
    if (oo && typeof oo.type === 'string') out.push(mapLangfuseObservation({ traceId: t.id, ...oo }, oo.type, { ...base, index: out.length }));
  }
  for (const s of arr(t.scores)) {
    const so = obj(s);
    if (so) out.push(mapLangfuseScore({ traceId: t.id, ...so }, { ...base, index: out.length }));
  }
  return out;
}

/**
 * One ingestion request body. Events of the same entity (trace, observation or score id) are merged in order, a
 * later field overriding an earlier one as the Langfuse server does; each entity gives one event, in the order of
 * its first appearance.
 */
export function mapLangfuseIngestion(value: Json, base: Omit<Provenance, 'index'>): NormalizedEvent[] {
  const entities = new Map<string, { category: string; observationType: string; body: Json; timestamp: unknown }>();
  for (const item of arr(value.batch)) {
    const io = obj(item);
    const m = INGESTION_EVENT.exec(str(io?.type) ?? '');
    const body = obj(io?.body);
    if (!io || !m || !m[1] || !body) continue; // sdk-log carries no event
    const entity = m[1];
    const category = entity === 'trace' || entity === 'score' ? entity : 'observation';
    const observationType = entity === 'observation' ? (str(body.type) ?? 'SPAN') : entity.toUpperCase();
    const id = str(body.id) ?? str(io.id) ?? '';
    const key = `${category}:${id}`;
    const prev = entities.get(key);
    const merged: Json = { ...(prev?.body ?? {}) };
    for (const [k, v] of Object.entries(body)) if (v !== undefined && v !== null) merged[k] = v;
    entities.set(key, { category, observationType: prev && entity === 'observation' && !body.type ? prev.observationType : observationType, body: merged, timestamp: prev?.timestamp ?? io.timestamp });
  }
  const out: NormalizedEvent[] = [];
  for (const e of entities.values()) {
    const provenance = { ...base, index: out.length };
    if (e.category === 'trace') out.push(mapLangfuseTrace(e.body, provenance));
    else if (e.category === 'score') out.push(mapLangfuseScore(e.body, provenance, e.timestamp));
    else {
      const ev = mapLangfuseObservation(e.body, e.observationType, provenance);
      // An update alone has no startTime: place it at the time it was sent.
      if (!ev.ts) ev.ts = normalizeTimestamp(e.timestamp);
      out.push(ev);
    }
  }
  return out;
}
