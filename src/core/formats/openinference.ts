// OpenInference (Arize Phoenix, arize-ai/openinference) spans, as they arrive in OTLP JSON: the span attributes
// follow the OpenInference semantic conventions, with messages, tool calls and documents flattened into indexed keys
// (llm.input_messages.0.message.role, retrieval.documents.1.document.score, …). otlp.ts maps the OTLP envelope and
// calls applyOpenInference for a span that has `openinference.span.kind`.
import type { EventKind, NormalizedChunk, NormalizedEvent, NormalizedMessage, NormalizedToolCall } from '../model/normalized';
import { arr, contentText, num, obj, pick, str, strArray, type Json, jsonText } from './values';

export function isOpenInferenceSpan(attrs: Json): boolean {
  return typeof attrs['openinference.span.kind'] === 'string';
}

/**
 * Indexed flattened attributes under `prefix` ("llm.input_messages") grouped by index:
 * {"llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": "hi"} gives
 * [{"message.role": "user", "message.content": "hi"}]. Indexes that are absent leave no hole.
 */
export function indexedGroups(attrs: Json, prefix: string): Json[] {
  const groups = new Map<number, Json>();
  const head = prefix + '.';
  for (const key of Object.keys(attrs)) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf('.');
    const index = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 0) continue;
    let g = groups.get(index);
    if (!g) groups.set(index, (g = {}));
    g[dot < 0 ? '' : rest.slice(dot + 1)] = attrs[key];
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

/** Parses a JSON-string attribute; the value itself when it is not JSON. */
export function parseJsonAttr(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

const KIND: Record<string, EventKind> = {
  LLM: 'llm',
  EMBEDDING: 'embedding',
  TOOL: 'tool',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  AGENT: 'agent',
  CHAIN: 'chain',
  GUARDRAIL: 'guardrail',
  EVALUATOR: 'other',
  PROMPT: 'chain',
};

function oiMessages(attrs: Json, prefix: string, toolCalls: NormalizedToolCall[]): NormalizedMessage[] {
  const out: NormalizedMessage[] = [];
  for (const g of indexedGroups(attrs, prefix)) {
    const texts: string[] = [];
    const direct = str(g['message.content']);
    if (direct !== null) texts.push(direct);
    for (const part of indexedGroups(g, 'message.contents')) {
      const t = str(part['message_content.text']);
      if (t !== null) texts.push(t);
    }
    for (const tc of indexedGroups(g, 'message.tool_calls')) {
      toolCalls.push({
        ...(str(tc['tool_call.id']) ? { id: str(tc['tool_call.id'])! } : {}),
        name: str(tc['tool_call.function.name']) ?? 'unknown',
        arguments: parseJsonAttr(tc['tool_call.function.arguments']),
      });
    }
    const fnName = str(g['message.function_call_name']);
    if (fnName) toolCalls.push({ name: fnName, arguments: parseJsonAttr(g['message.function_call_arguments_json']) });
    const role = str(g['message.role']) ?? 'unknown';
    const name = str(g['message.name']);
    out.push({ role, content: texts.join('\n'), ...(name ? { name } : {}) });
  }
  return out;
}

function documents(attrs: Json, prefix: string): NormalizedChunk[] {
  return indexedGroups(attrs, prefix).map((d) => {
    const meta = obj(parseJsonAttr(d['document.metadata']));
    const text = str(d['document.content']);
    return {
      documentId: str(d['document.id']) ?? str(pick(meta, 'document_id', 'source', 'file_name')),
      chunkId: str(pick(meta, 'chunk_id', 'chunkId')),
      score: num(d['document.score']),
      ...(text !== null ? { text } : {}),
    };
  });
}

/** input.value / output.value as text: a JSON string value is kept as written. */
function valueText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : jsonText(value);
}

/** Adds what the OpenInference conventions say to an event otlp.ts mapped from the span's OTLP envelope. */
export function applyOpenInference(ev: NormalizedEvent, attrs: Json): void {
  const spanKind = str(attrs['openinference.span.kind'])!.toUpperCase();
  ev.kind = KIND[spanKind] ?? 'chain';
  ev.operation = ev.operation ?? spanKind.toLowerCase();
  ev.provider = ev.provider ?? str(pick(attrs, 'llm.provider', 'llm.system'));
  ev.requestModel = str(pick(attrs, 'llm.request.model_name', 'llm.model_name', 'embedding.model_name', 'reranker.model_name')) ?? ev.requestModel;
  ev.responseModel = str(attrs['llm.response.model_name']) ?? ev.responseModel;
  ev.inputTokens = ev.inputTokens ?? num(attrs['llm.token_count.prompt']);
  ev.outputTokens = ev.outputTokens ?? num(attrs['llm.token_count.completion']);
  ev.cachedTokens = ev.cachedTokens ?? num(attrs['llm.token_count.prompt_details.cache_read']);
  ev.cacheWriteTokens = ev.cacheWriteTokens ?? num(attrs['llm.token_count.prompt_details.cache_write']);
  ev.reasoningTokens = ev.reasoningTokens ?? num(attrs['llm.token_count.completion_details.reasoning']);
  ev.costUsd = ev.costUsd ?? num(attrs['llm.cost.total']);
  ev.finishReason = ev.finishReason ?? str(attrs['llm.finish_reason']);
  const params = obj(parseJsonAttr(attrs['llm.invocation_parameters']));
  ev.temperature = ev.temperature ?? num(params?.temperature);
  ev.topP = ev.topP ?? num(params?.top_p);
  ev.maxTokens = ev.maxTokens ?? num(pick(params, 'max_tokens', 'max_completion_tokens', 'max_output_tokens'));

  const metadata = obj(parseJsonAttr(attrs.metadata));
  ev.sessionId = ev.sessionId ?? str(pick(metadata, 'session_id', 'sessionId', 'thread_id'));
  ev.userId = ev.userId ?? str(pick(metadata, 'user_id', 'userId'));
  const tags = parseJsonAttr(attrs['tag.tags']);
  ev.tags = Array.isArray(tags) ? strArray(tags) : typeof tags === 'string' ? [tags] : ev.tags;

  const toolCalls = ev.content.toolCalls;
  const input = oiMessages(attrs, 'llm.input_messages', toolCalls);
  const output = oiMessages(attrs, 'llm.output_messages', toolCalls);
  const inputText = valueText(attrs['input.value']);
  const outputText = valueText(attrs['output.value']);
  if (ev.kind === 'tool') {
    toolCalls.push({
      ...(str(attrs['tool.id']) ? { id: str(attrs['tool.id'])! } : {}),
      name: str(attrs['tool.name']) ?? ev.type,
      arguments: parseJsonAttr(attrs['input.value']),
      result: parseJsonAttr(attrs['output.value']),
    });
  }
  if (input.length) ev.content.input.push(...input);
  else if (inputText !== null && ev.kind !== 'tool') {
    // Spans without structured messages (chains, agents, retrievers, embeddings): the input as a user turn, unless
    // it is a JSON request body (an LLM span that only logged input.value) whose messages we can read.
    const body = obj(parseJsonAttr(inputText));
    const msgs = arr(body?.messages);
    if (msgs.length) {
      for (const m of msgs) {
        const mo = obj(m);
        if (mo) ev.content.input.push({ role: str(mo.role) ?? 'unknown', content: contentText(mo.content) ?? '' });
      }
    } else ev.content.input.push({ role: 'user', content: inputText });
  }
  if (output.length) ev.content.output.push(...output);
  else if (outputText !== null && ev.kind !== 'tool' && ev.kind !== 'llm') ev.content.output.push({ role: 'assistant', content: outputText });
  else if (outputText !== null && ev.kind === 'llm' && !obj(parseJsonAttr(outputText))) ev.content.output.push({ role: 'assistant', content: outputText });

  if (ev.kind === 'retrieval') {
    const docs = documents(attrs, 'retrieval.documents');
    ev.chunks = docs.length ? docs : documents(attrs, 'reranker.output_documents');
  }
  if (ev.kind === 'embedding' && !ev.content.input.length) {
    // embedding.embeddings.N.embedding.text (the vectors are never read: see spanAttributes in otlp.ts).
    for (const e of indexedGroups(attrs, 'embedding.embeddings')) {
      const t = str(e['embedding.text']);
      if (t !== null) ev.content.input.push({ role: 'user', content: t });
    }
  }
}
