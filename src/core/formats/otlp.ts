// OpenTelemetry OTLP JSON (as the file exporter and the collector write it: one TracesData or LogsData per line)
// mapped to NormalizedEvents, following the GenAI semantic conventions, current and deprecated attribute names.
// A span gives one event; a log record gives one 'message' (or other) event linked to its span by trace/span id.
import { emptyEvent, type EventKind, type NormalizedEvent, type NormalizedMessage, type NormalizedToolCall, type Provenance } from '../model/normalized';
import { sha256 } from './auditlens';
import { applyOpenInference, isOpenInferenceSpan } from './openinference';
import { applyTraceloop, isTraceloopSpan } from './traceloop';
import { arr, clip, contentText, jsonText, num, obj, pick, setOwn, str, type Json } from './values';

export function isOtlpTraces(value: Json): boolean {
  return Array.isArray(value.resourceSpans) || Array.isArray(value.resource_spans);
}

export function isOtlpLogs(value: Json): boolean {
  return Array.isArray(value.resourceLogs) || Array.isArray(value.resource_logs);
}

/** How deep arrayValue/kvlistValue nesting is decoded; deeper levels (hostile input only) become null. */
const MAX_ANY_VALUE_DEPTH = 64;

/** Decodes an OTLP AnyValue ({stringValue}, {intValue}, {arrayValue:{values}}, {kvlistValue:{values}}, …). */
export function anyValue(v: unknown, depth = 0): unknown {
  const o = obj(v);
  if (!o) return v ?? null;
  if (depth >= MAX_ANY_VALUE_DEPTH) return null;
  if ('stringValue' in o) return o.stringValue;
  if ('intValue' in o) return num(o.intValue);
  if ('doubleValue' in o) return num(o.doubleValue);
  if ('boolValue' in o) return o.boolValue === true;
  if ('bytesValue' in o) return o.bytesValue;
  if ('arrayValue' in o) return arr(obj(o.arrayValue)?.values).map((x) => anyValue(x, depth + 1));
  if ('kvlistValue' in o) return attributes(obj(o.kvlistValue)?.values, depth + 1);
  return null;
}

/** OTLP attributes ([{key, value: AnyValue}]) as a plain object keyed by attribute name. */
export function attributes(list: unknown, depth = 0): Json {
  const out: Json = {};
  for (const kv of arr(list)) {
    const o = obj(kv);
    const key = str(o?.key);
    if (key !== null) setOwn(out, key, anyValue(o?.value, depth));
  }
  return out;
}

/**
 * Span attributes like `attributes`, without the embedding vectors (OpenInference
 * `embedding.embeddings.N.embedding.vector`, thousands of numbers each): they are never decoded nor copied.
 */
function spanAttributes(list: unknown): Json {
  const out: Json = {};
  for (const kv of arr(list)) {
    const o = obj(kv);
    const key = str(o?.key);
    if (key !== null && !key.endsWith('.embedding.vector')) setOwn(out, key, anyValue(o?.value));
  }
  return out;
}

/** Trace and span ids: lowercase hex whether the exporter wrote hex or base64 (the protobuf JSON mapping). */
export function otlpId(value: unknown): string | null {
  const s = str(value);
  if (!s) return null;
  if (/^[0-9a-fA-F]+$/.test(s) && (s.length === 32 || s.length === 16)) return /^0+$/.test(s) ? null : s.toLowerCase();
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) {
    const hex = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('hex');
    if (hex.length === 32 || hex.length === 16) return /^0+$/.test(hex) ? null : hex;
  }
  return s;
}

/** Unix nanoseconds (a decimal string or number) to ISO 8601 UTC with millisecond precision. */
function nanosToIso(value: unknown): string | null {
  const s = typeof value === 'number' ? String(value) : str(value);
  if (!s || !/^\d+$/.test(s) || /^0+$/.test(s)) return null;
  const d = new Date(Number(BigInt(s) / 1_000_000n));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function nanosDiffMs(start: unknown, end: unknown): number | null {
  const a = typeof start === 'number' ? String(start) : str(start);
  const b = typeof end === 'number' ? String(end) : str(end);
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return null;
  const ms = Number(BigInt(b) - BigInt(a)) / 1e6;
  return Number.isFinite(ms) ? ms : null; // a hostile 400-digit timestamp must not make an infinite latency
}

const first = (attrs: Json, ...keys: string[]) => pick(attrs, ...keys);

/** Parses a JSON-string attribute (gen_ai.input.messages etc.); returns the value itself when it is not a string. */
function jsonAttr(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** GenAI messages: [{role, parts:[{type:'text', content}|{type:'tool_call',…}]}] or [{role, content}]. */
function genAiMessages(value: unknown, toolCalls: NormalizedToolCall[]): NormalizedMessage[] {
  const parsed = jsonAttr(value);
  if (typeof parsed === 'string') return [{ role: 'user', content: parsed }];
  const out: NormalizedMessage[] = [];
  for (const m of arr(parsed)) {
    const o = obj(m);
    if (!o) continue;
    const texts: string[] = [];
    for (const p of arr(o.parts)) {
      const part = obj(p);
      if (!part) continue;
      const t = str(part.type);
      if (t === 'tool_call') toolCalls.push({ ...(str(part.id) ? { id: str(part.id)! } : {}), name: str(part.name) ?? 'unknown', arguments: part.arguments });
      else if (t === 'tool_call_response') texts.push(typeof part.response === 'string' ? part.response : jsonText(part.response));
      else {
        const c = contentText(part.content ?? part.text);
        if (c !== null) texts.push(c);
      }
    }
    const direct = contentText(o.content);
    if (direct !== null) texts.push(direct);
    out.push({ role: str(o.role) ?? 'unknown', content: texts.join('\n') });
  }
  return out;
}

function systemInstructions(value: unknown): string | null {
  const parsed = jsonAttr(value);
  if (typeof parsed === 'string') return parsed;
  const texts = arr(parsed).map((p) => contentText(obj(p)?.content ?? p)).filter((t): t is string => t !== null);
  return texts.length ? texts.join('\n') : null;
}

function spanKind(attrs: Json): EventKind {
  const op = str(first(attrs, 'gen_ai.operation.name'))?.toLowerCase() ?? '';
  const oi = str(first(attrs, 'openinference.span.kind', 'traceloop.span.kind'))?.toLowerCase() ?? '';
  if (op === 'chat' || op === 'text_completion' || op === 'generate_content' || oi === 'llm') return 'llm';
  if (op === 'embeddings' || oi === 'embedding') return 'embedding';
  if (op === 'execute_tool' || oi === 'tool') return 'tool';
  if (op === 'invoke_agent' || op === 'create_agent' || oi === 'agent') return 'agent';
  if (oi === 'retriever') return 'retrieval';
  if (oi === 'guardrail') return 'guardrail';
  if (first(attrs, 'gen_ai.request.model', 'gen_ai.response.model') !== undefined) return 'llm';
  return 'chain';
}

function commonAttrs(ev: NormalizedEvent, attrs: Json, resource: Json): void {
  ev.sessionId = str(first(attrs, 'session.id', 'session_id'));
  ev.conversationId = str(first(attrs, 'gen_ai.conversation.id', 'conversation.id'));
  ev.userId = str(first(attrs, 'user.id', 'enduser.id', 'gen_ai.user.id'));
  ev.environment = str(first(attrs, 'deployment.environment.name', 'deployment.environment')) ?? str(first(resource, 'deployment.environment.name', 'deployment.environment'));
  ev.service = str(first(resource, 'service.name'));
}

function codeLocation(attrs: Json, stacktrace: string | null): NormalizedEvent['code'] {
  const file = str(first(attrs, 'code.file.path', 'code.filepath'));
  const line = num(first(attrs, 'code.line.number', 'code.lineno'));
  const fn = str(first(attrs, 'code.function.name', 'code.function'));
  if (file === null && line === null && fn === null && stacktrace === null) return null;
  return { file, line, function: fn, stacktrace };
}

function mapSpan(span: Json, resource: Json, scope: Json, provenance: Provenance, onDialect: (d: OtlpTracesDialect) => void): NormalizedEvent {
  const name = str(span.name) ?? 'span';
  const attrs = spanAttributes(span.attributes);
  const ev = emptyEvent(provenance, spanKind(attrs), name);
  ev.traceId = otlpId(span.traceId ?? span.trace_id);
  ev.spanId = otlpId(span.spanId ?? span.span_id);
  ev.parentSpanId = otlpId(span.parentSpanId ?? span.parent_span_id);
  ev.id = ev.spanId;
  ev.ts = nanosToIso(span.startTimeUnixNano ?? span.start_time_unix_nano);
  ev.endTs = nanosToIso(span.endTimeUnixNano ?? span.end_time_unix_nano);
  ev.latencyMs = nanosDiffMs(span.startTimeUnixNano ?? span.start_time_unix_nano, span.endTimeUnixNano ?? span.end_time_unix_nano);
  commonAttrs(ev, attrs, resource);
  ev.provider = str(first(attrs, 'gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system'));
  ev.requestModel = str(first(attrs, 'gen_ai.request.model', 'llm.model_name'));
  ev.responseModel = str(first(attrs, 'gen_ai.response.model'));
  ev.operation = str(first(attrs, 'gen_ai.operation.name'));
  ev.inputTokens = num(first(attrs, 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'));
  ev.outputTokens = num(first(attrs, 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'));
  ev.cachedTokens = num(first(attrs, 'gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens', 'gen_ai.usage.cached_tokens'));
  ev.reasoningTokens = num(first(attrs, 'gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens'));
  ev.costUsd = num(first(attrs, 'gen_ai.usage.cost', 'llm.cost.total'));
  ev.temperature = num(first(attrs, 'gen_ai.request.temperature'));
  ev.topP = num(first(attrs, 'gen_ai.request.top_p'));
  ev.maxTokens = num(first(attrs, 'gen_ai.request.max_tokens'));
  const finish = first(attrs, 'gen_ai.response.finish_reasons', 'gen_ai.response.finish_reason');
  ev.finishReason = Array.isArray(finish) ? (str(finish[0]) ?? null) : str(finish);
  ev.id = str(first(attrs, 'gen_ai.response.id')) ?? ev.id;

  const status = obj(span.status);
  const code = status?.code;
  const isError = code === 2 || code === 'STATUS_CODE_ERROR' || first(attrs, 'error.type') !== undefined;
  ev.status = isError ? 'error' : ev.kind === 'llm' || code === 1 || code === 'STATUS_CODE_OK' ? 'ok' : null;
  ev.errorType = str(first(attrs, 'error.type'));
  ev.errorMessage = str(status?.message);
  let stacktrace: string | null = null;
  for (const e of arr(span.events)) {
    const eo = obj(e);
    if (!eo) continue;
    const ea = attributes(eo.attributes);
    if (str(eo.name) === 'exception') {
      ev.status = 'error';
      ev.errorType = ev.errorType ?? str(ea['exception.type']);
      ev.errorMessage = ev.errorMessage ?? str(ea['exception.message']);
      stacktrace = stacktrace ?? str(ea['exception.stacktrace']);
    } else if (str(eo.name) === 'gen_ai.content.prompt') {
      ev.content.input.push(...genAiMessages(ea['gen_ai.prompt'], ev.content.toolCalls));
    } else if (str(eo.name) === 'gen_ai.content.completion') {
      ev.content.output.push(...genAiMessages(ea['gen_ai.completion'], ev.content.toolCalls));
    }
  }
  ev.code = codeLocation(attrs, stacktrace);

  const toolCalls = ev.content.toolCalls;
  ev.content.system = systemInstructions(first(attrs, 'gen_ai.system_instructions'));
  if (attrs['gen_ai.input.messages'] !== undefined) ev.content.input.push(...genAiMessages(attrs['gen_ai.input.messages'], toolCalls));
  if (attrs['gen_ai.output.messages'] !== undefined) ev.content.output.push(...genAiMessages(attrs['gen_ai.output.messages'], toolCalls));
  if (ev.kind === 'tool' && (attrs['gen_ai.operation.name'] === 'execute_tool' || attrs['gen_ai.tool.name'] !== undefined)) {
    toolCalls.push({
      ...(str(attrs['gen_ai.tool.call.id']) ? { id: str(attrs['gen_ai.tool.call.id'])! } : {}),
      name: str(first(attrs, 'gen_ai.tool.name')) ?? name,
      arguments: jsonAttr(first(attrs, 'gen_ai.tool.call.arguments')),
      result: jsonAttr(first(attrs, 'gen_ai.tool.call.result')),
    });
  }
  if (isOpenInferenceSpan(attrs)) {
    applyOpenInference(ev, attrs);
    onDialect('openinference');
  } else if (isTraceloopSpan(attrs)) {
    applyTraceloop(ev, attrs);
    onDialect('traceloop');
  }
  if (!ev.content.system) {
    const sys = ev.content.input.filter((m) => m.role === 'system').map((m) => m.content);
    if (sys.length) ev.content.system = sys.join('\n');
  }
  ev.promptHash = ev.content.system ? sha256(ev.content.system) : null;
  const lastUser = [...ev.content.input].reverse().find((m) => m.role === 'user');
  ev.preview = clip(lastUser?.content ?? ev.content.output[0]?.content ?? ev.errorMessage ?? null);
  void scope;
  return ev;
}

/** Which conventions a TracesData follows: OpenInference or Traceloop attributes on any span, else plain OTLP. */
export type OtlpTracesDialect = 'otlp-traces' | 'openinference' | 'traceloop';

/** Every span of one TracesData value. `provenance.index` numbers them in file order. */
export function mapOtlpTraces(value: Json, base: Omit<Provenance, 'index'>): NormalizedEvent[] {
  return mapOtlpTracesWithDialect(value, base).events;
}

export function mapOtlpTracesWithDialect(value: Json, base: Omit<Provenance, 'index'>): { events: NormalizedEvent[]; dialect: OtlpTracesDialect } {
  const out: NormalizedEvent[] = [];
  let dialect: OtlpTracesDialect = 'otlp-traces';
  const onSpan = (d: OtlpTracesDialect) => {
    if (d !== 'otlp-traces' && dialect === 'otlp-traces') dialect = d;
  };
  for (const rs of arr(value.resourceSpans ?? value.resource_spans)) {
    const rso = obj(rs);
    const resource = attributes(obj(rso?.resource)?.attributes);
    for (const ss of arr(rso?.scopeSpans ?? rso?.scope_spans)) {
      const sso = obj(ss);
      const scope = obj(sso?.scope) ?? {};
      for (const span of arr(sso?.spans)) {
        const so = obj(span);
        if (so) out.push(mapSpan(so, resource, scope, { ...base, index: out.length }, onSpan));
      }
    }
  }
  return { events: out, dialect };
}

const LOG_ROLE: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
  'gen_ai.choice': 'assistant',
};

function mapLogRecord(record: Json, resource: Json, provenance: Provenance): NormalizedEvent {
  const attrs = attributes(record.attributes);
  const eventName = str(record.eventName ?? record.event_name) ?? str(first(attrs, 'event.name', 'gen_ai.event.name')) ?? 'log';
  const role = LOG_ROLE[eventName];
  const structured = attrs['gen_ai.input.messages'] !== undefined || attrs['gen_ai.output.messages'] !== undefined;
  const ev = emptyEvent(provenance, role || structured || eventName.startsWith('gen_ai.') ? 'message' : 'other', eventName);
  ev.traceId = otlpId(record.traceId ?? record.trace_id);
  ev.parentSpanId = otlpId(record.spanId ?? record.span_id);
  ev.ts = nanosToIso(record.timeUnixNano ?? record.time_unix_nano) ?? nanosToIso(record.observedTimeUnixNano ?? record.observed_time_unix_nano);
  commonAttrs(ev, attrs, resource);
  ev.provider = str(first(attrs, 'gen_ai.provider.name', 'gen_ai.system'));
  const body = anyValue(record.body);
  const bo = obj(body);
  if (structured) {
    // Newer conventions (gen_ai.client.inference.operation.details): the messages are attributes, in the parts format.
    const toolCalls: NormalizedToolCall[] = [];
    const input = genAiMessages(attrs['gen_ai.input.messages'], toolCalls);
    ev.content.system = systemInstructions(attrs['gen_ai.system_instructions']) ?? (input.filter((m) => m.role === 'system').map((m) => m.content).join('\n') || null);
    ev.content.input = input.filter((m) => m.role !== 'system');
    ev.content.output = genAiMessages(attrs['gen_ai.output.messages'], toolCalls);
    ev.content.toolCalls = toolCalls;
    const outputs = arr(jsonAttr(attrs['gen_ai.output.messages']));
    ev.finishReason = str(obj(outputs[outputs.length - 1])?.finish_reason);
    // Only the request record gives the call's preview (the last user message); see the join in eventStore.
    const lastUser = [...ev.content.input].reverse().find((m) => m.role === 'user' && m.content !== '');
    ev.preview = clip(lastUser?.content ?? null);
  } else if (role) {
    const message = obj(bo?.message) ?? bo;
    const text = contentText(message?.content) ?? (typeof body === 'string' ? body : null);
    const toolCalls: NormalizedToolCall[] = [];
    for (const t of arr(message?.tool_calls)) {
      const to = obj(t);
      const fn = obj(to?.function);
      toolCalls.push({ ...(str(to?.id) ? { id: str(to?.id)! } : {}), name: str(fn?.name) ?? 'unknown', arguments: jsonAttr(fn?.arguments) });
    }
    const msg: NormalizedMessage = { role: str(message?.role) ?? role, content: text ?? '' };
    // Only a choice is the call's answer; gen_ai.assistant.message is history resent as input.
    if (eventName === 'gen_ai.choice') ev.content.output = [msg];
    else ev.content.input = [msg];
    if (role === 'system') ev.content.system = msg.content;
    // Tool calls resent in the history belong to the earlier call that made them.
    ev.content.toolCalls = eventName === 'gen_ai.choice' ? toolCalls : [];
    ev.finishReason = str(bo?.finish_reason);
    ev.preview = clip(text);
  } else {
    ev.preview = clip(typeof body === 'string' ? body : body === null ? null : JSON.stringify(body));
  }
  const severity = str(record.severityText);
  if (severity && /^(error|fatal)/i.test(severity)) ev.status = 'error';
  return ev;
}

/** Every log record of one LogsData value. */
export function mapOtlpLogs(value: Json, base: Omit<Provenance, 'index'>): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  for (const rl of arr(value.resourceLogs ?? value.resource_logs)) {
    const rlo = obj(rl);
    const resource = attributes(obj(rlo?.resource)?.attributes);
    for (const sl of arr(rlo?.scopeLogs ?? rlo?.scope_logs)) {
      for (const lr of arr(obj(sl)?.logRecords ?? obj(sl)?.log_records)) {
        const lo = obj(lr);
        if (lo) out.push(mapLogRecord(lo, resource, { ...base, index: out.length }));
      }
    }
  }
  return out;
}
