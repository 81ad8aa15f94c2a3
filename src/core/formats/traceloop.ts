// Traceloop / OpenLLMetry spans, as they arrive in OTLP JSON. otlp.ts maps the envelope and the GenAI conventions
// (current SDKs write gen_ai.input.messages, gen_ai.usage.input_tokens, …) and calls applyTraceloop for a span with
// `traceloop.*` attributes or the older `llm.request.type`, which adds:
// - traceloop.association.properties.* (session_id, user_id, …), traceloop.span.kind (workflow, task, agent, tool),
//   traceloop.entity.name / input / output, traceloop.workflow.name;
// - the older indexed attributes of the 0.2x SDKs and the Python SDK: gen_ai.prompt.N.role/content,
//   gen_ai.completion.N.role/content/finish_reason/tool_calls.K.name/arguments, llm.request.type, llm.usage.total_tokens.
import type { NormalizedEvent, NormalizedMessage, NormalizedToolCall } from '../model/normalized';
import { indexedGroups, parseJsonAttr } from './openinference';
import { num, obj, pick, str, type Json, jsonText } from './values';

export function isTraceloopSpan(attrs: Json): boolean {
  if (typeof attrs['llm.request.type'] === 'string') return true;
  for (const key of Object.keys(attrs)) if (key.startsWith('traceloop.')) return true;
  return false;
}

const ENTITY_KIND: Record<string, NormalizedEvent['kind']> = { workflow: 'chain', task: 'chain', agent: 'agent', tool: 'tool' };

function indexedMessages(attrs: Json, prefix: string, toolCalls: NormalizedToolCall[]): NormalizedMessage[] {
  return indexedGroups(attrs, prefix).map((g) => {
    for (const tc of indexedGroups(g, 'tool_calls')) {
      toolCalls.push({
        ...(str(tc.id) ? { id: str(tc.id)! } : {}),
        name: str(tc.name) ?? 'unknown',
        arguments: parseJsonAttr(tc.arguments),
      });
    }
    if (str(g['function_call.name'])) toolCalls.push({ name: str(g['function_call.name'])!, arguments: parseJsonAttr(g['function_call.arguments']) });
    const content = str(g.content);
    // The 0.2x SDKs write JSON.stringify(null) for an assistant message that only holds tool calls.
    return { role: str(g.role) ?? 'unknown', content: content === 'null' ? '' : (content ?? '') };
  });
}

/** traceloop.entity.input is {"args": [...], "kwargs": {...}}: the arguments the entity function was called with. */
function entityArguments(value: unknown): unknown {
  const parsed = parseJsonAttr(value);
  const o = obj(parsed);
  if (!o || !('args' in o || 'kwargs' in o)) return parsed;
  const args = Array.isArray(o.args) ? o.args : [];
  const kwargs = obj(o.kwargs) ?? {};
  if (args.length === 0) return Object.keys(kwargs).length ? kwargs : null;
  if (Object.keys(kwargs).length === 0) return args.length === 1 ? args[0] : args;
  return { args, kwargs };
}

const asText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : jsonText(v));

/** Adds what the Traceloop conventions say to an event otlp.ts mapped from the span's OTLP envelope. */
export function applyTraceloop(ev: NormalizedEvent, attrs: Json): void {
  const assoc = (k: string) => str(attrs[`traceloop.association.properties.${k}`]);
  ev.sessionId = ev.sessionId ?? assoc('session_id') ?? assoc('sessionId') ?? assoc('conversation_id') ?? assoc('thread_id');
  ev.userId = ev.userId ?? assoc('user_id') ?? assoc('userId') ?? assoc('user');
  ev.environment = ev.environment ?? assoc('environment') ?? assoc('env');
  const spanKind = str(attrs['traceloop.span.kind'])?.toLowerCase();
  const requestType = str(attrs['llm.request.type'])?.toLowerCase();
  if (spanKind && ENTITY_KIND[spanKind]) ev.kind = ENTITY_KIND[spanKind];
  else if (requestType === 'embedding') ev.kind = 'embedding';
  else if (requestType) ev.kind = 'llm';
  ev.operation = ev.operation ?? spanKind ?? requestType ?? null;
  if (ev.provider && str(attrs['gen_ai.system']) === ev.provider) ev.provider = ev.provider.toLowerCase();
  ev.maxTokens = ev.maxTokens ?? num(attrs['gen_ai.request.max_tokens']) ?? num(attrs['llm.request.max_tokens']);
  ev.topP = ev.topP ?? num(attrs['gen_ai.request.top_p']);

  const toolCalls = ev.content.toolCalls;
  const input = indexedMessages(attrs, 'gen_ai.prompt', toolCalls);
  const output = indexedMessages(attrs, 'gen_ai.completion', toolCalls);
  if (input.length && !ev.content.input.length) ev.content.input = input;
  if (output.length && !ev.content.output.length) ev.content.output = output;
  if (!ev.finishReason) ev.finishReason = str(pick(obj(indexedGroups(attrs, 'gen_ai.completion')[0]) ?? {}, 'finish_reason'));

  if (spanKind && ENTITY_KIND[spanKind]) {
    const args = entityArguments(attrs['traceloop.entity.input']);
    const result = parseJsonAttr(attrs['traceloop.entity.output']);
    if (spanKind === 'tool') {
      toolCalls.push({ name: str(attrs['traceloop.entity.name']) ?? ev.type, arguments: args, ...(attrs['traceloop.entity.output'] !== undefined ? { result } : {}) });
    } else {
      const inText = asText(args);
      if (inText !== null && !ev.content.input.length) ev.content.input = [{ role: 'user', content: inText }];
      const outText = asText(result);
      if (outText !== null && !ev.content.output.length) ev.content.output = [{ role: 'assistant', content: outText }];
    }
  }
}
