// LangSmith run exports: runs in the API's Run schema (what `client.listRuns()` / `list_runs()` return and the UI
// exports): id, name, run_type, start_time, end_time, inputs, outputs, error, status, trace_id, dotted_order,
// parent_run_id, prompt_tokens, completion_tokens, total_cost, extra.metadata (thread_id = the conversation),
// tags, … One run is one event; a run with nested `child_runs` objects gives those too.
//
// Token counts and cost are only taken from llm and embedding runs: LangSmith returns the aggregated counts of the
// whole trace on parent runs, which would count every call twice.
import { emptyEvent, type EventKind, type NormalizedChunk, type NormalizedEvent, type NormalizedMessage, type NormalizedToolCall, type Provenance } from '../model/normalized';
import { sha256 } from './auditlens';
import { arr, clip, contentText, normalizeTimestamp, num, obj, pick, str, strArray, type Json, jsonText } from './values';

const RUN_KIND: Record<string, EventKind> = {
  llm: 'llm',
  chain: 'chain',
  tool: 'tool',
  retriever: 'retrieval',
  embedding: 'embedding',
  prompt: 'chain',
  parser: 'chain',
};

export function isLangSmithRun(value: Json): boolean {
  return (
    typeof value.id === 'string' &&
    typeof value.run_type === 'string' &&
    RUN_KIND[value.run_type] !== undefined &&
    'start_time' in value &&
    ('dotted_order' in value || 'trace_id' in value || 'parent_run_id' in value || 'child_run_ids' in value)
  );
}

/** LangSmith returns UTC times without a zone ("2025-05-20T08:30:00.000000"). */
function utc(value: unknown): string | null {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(value)) return normalizeTimestamp(value + 'Z');
  return normalizeTimestamp(value);
}

const LC_ROLE: Record<string, string> = {
  SystemMessage: 'system',
  HumanMessage: 'user',
  AIMessage: 'assistant',
  AIMessageChunk: 'assistant',
  ToolMessage: 'tool',
  FunctionMessage: 'tool',
  ChatMessage: 'user',
  system: 'system',
  human: 'user',
  ai: 'assistant',
  tool: 'tool',
};

/** One message: LangChain serialized ({lc, id:[…,'HumanMessage'], kwargs}), LangChain dict ({type:'human', data}), or OpenAI ({role, content}). */
function message(m: unknown, toolCalls: NormalizedToolCall[]): NormalizedMessage | null {
  const o = obj(m);
  if (!o) return typeof m === 'string' ? { role: 'user', content: m } : null;
  const ids = arr(o.id);
  const lcClass = str(ids[ids.length - 1]);
  const body = obj(o.kwargs) ?? obj(o.data) ?? o;
  const role = str(o.role) ?? (lcClass ? LC_ROLE[lcClass] : undefined) ?? LC_ROLE[str(o.type) ?? ''] ?? 'user';
  for (const t of arr(body.tool_calls)) {
    const to = obj(t);
    const fn = obj(to?.function);
    if (!to) continue;
    let args: unknown = to.args ?? fn?.arguments;
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args);
      } catch {
        // keep the text
      }
    }
    toolCalls.push({ ...(str(to.id) ? { id: str(to.id)! } : {}), name: str(to.name) ?? str(fn?.name) ?? 'unknown', arguments: args });
  }
  return { role, content: contentText(body.content) ?? '' };
}

function messageList(value: unknown, toolCalls: NormalizedToolCall[]): NormalizedMessage[] {
  // LangChain chat model runs log a batch: [[…messages of prompt 1…]].
  const list = Array.isArray(value) && value.length > 0 && Array.isArray(value[0]) ? (value[0] as unknown[]) : arr(value);
  return list.map((m) => message(m, toolCalls)).filter((m): m is NormalizedMessage => m !== null);
}

/** Plain inputs/outputs ({input: "…"}, {question: "…"}, {output: "…"}): the first text field, else the JSON. */
function plainText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  const o = obj(value);
  const direct = str(pick(o, 'input', 'question', 'query', 'prompt', 'output', 'answer', 'text', 'result'));
  if (direct !== null) return direct;
  if (o && Object.keys(o).length === 0) return null;
  return jsonText(value);
}

export function mapLangSmithRun(run: Json, provenance: Provenance): NormalizedEvent {
  const runType = str(run.run_type) ?? 'chain';
  const ev = emptyEvent(provenance, RUN_KIND[runType] ?? 'other', str(run.name) ?? runType);
  const extra = obj(run.extra);
  const metadata = obj(extra?.metadata) ?? {};
  const invocation = obj(extra?.invocation_params) ?? obj(metadata.ls_invocation_params) ?? {};
  const inputs = obj(run.inputs) ?? {};
  const outputs = obj(run.outputs);
  ev.id = str(run.id);
  ev.traceId = str(run.trace_id) ?? (run.parent_run_id ? null : ev.id);
  ev.spanId = ev.id;
  ev.parentSpanId = str(run.parent_run_id);
  ev.operation = runType;
  ev.ts = utc(run.start_time);
  ev.endTs = utc(run.end_time);
  if (ev.ts && ev.endTs) ev.latencyMs = Date.parse(ev.endTs) - Date.parse(ev.ts);
  ev.sessionId = str(pick(metadata, 'thread_id', 'session_id', 'conversation_id'));
  ev.userId = str(pick(metadata, 'user_id', 'userId', 'user'));
  ev.environment = str(pick(metadata, 'environment', 'env', 'LANGCHAIN_ENV'));
  ev.service = str(pick(metadata, 'revision_id', 'service'));
  ev.tags = strArray(run.tags);
  ev.provider = str(metadata.ls_provider);
  ev.requestModel = str(metadata.ls_model_name) ?? str(pick(invocation, 'model', 'model_name')) ?? str(inputs.model);
  ev.temperature = num(metadata.ls_temperature) ?? num(invocation.temperature);
  ev.maxTokens = num(metadata.ls_max_tokens) ?? num(pick(invocation, 'max_tokens', 'max_completion_tokens'));
  ev.topP = num(invocation.top_p);

  const toolCalls: NormalizedToolCall[] = [];
  const generation = obj(arr(arr(outputs?.generations)[0])[0]);
  const genMessage = obj(generation?.message);
  const genBody = obj(genMessage?.kwargs) ?? genMessage;
  const choice = obj(arr(outputs?.choices)[0]);
  const usageMeta = obj(outputs?.usage_metadata) ?? obj(genBody?.usage_metadata);
  const isModel = ev.kind === 'llm' || ev.kind === 'embedding';
  if (isModel) {
    ev.inputTokens = num(run.prompt_tokens) ?? num(usageMeta?.input_tokens);
    ev.outputTokens = num(run.completion_tokens) ?? num(usageMeta?.output_tokens);
    ev.costUsd = num(run.total_cost);
    ev.cachedTokens = num(obj(usageMeta?.input_token_details)?.cache_read);
    ev.cacheWriteTokens = num(obj(usageMeta?.input_token_details)?.cache_creation);
    ev.reasoningTokens = num(obj(usageMeta?.output_token_details)?.reasoning);
    const responseMeta = obj(genBody?.response_metadata);
    ev.responseModel = str(responseMeta?.model_name) ?? str(obj(outputs?.llm_output)?.model_name) ?? str(outputs?.model);
    ev.finishReason = str(responseMeta?.finish_reason) ?? str(obj(generation?.generation_info)?.finish_reason) ?? str(choice?.finish_reason);
  }
  const status = str(run.status);
  const error = str(run.error);
  ev.status = status === 'error' || error ? 'error' : status === 'success' ? 'ok' : null;
  if (error) {
    ev.errorMessage = error;
    ev.errorType = error.match(/^(\w+)(?:\(|:)/)?.[1] ?? 'error';
  }

  if (Array.isArray(inputs.messages)) ev.content.input = messageList(inputs.messages, toolCalls);
  else if (ev.kind !== 'tool') {
    const text = plainText(inputs);
    if (text !== null) ev.content.input = [{ role: 'user', content: text }];
  }
  if (genMessage) {
    const m = message(genMessage, toolCalls);
    if (m) ev.content.output = [{ ...m, content: m.content || (str(generation?.text) ?? '') }];
  } else if (typeof generation?.text === 'string') ev.content.output = [{ role: 'assistant', content: generation.text }];
  else if (choice) {
    const m = message(choice.message, toolCalls);
    if (m) ev.content.output = [m];
  } else if (ev.kind === 'retrieval') {
    ev.chunks = arr(outputs?.documents).map((d): NormalizedChunk => {
      const dO = obj(d);
      const meta = obj(dO?.metadata);
      const text = str(pick(dO, 'page_content', 'content'));
      return {
        documentId: str(pick(meta, 'source', 'document_id', 'file_name')) ?? str(dO?.id),
        chunkId: str(pick(meta, 'id', 'chunk_id')) ?? str(dO?.id),
        score: num(pick(meta, 'score', 'relevance_score')),
        ...(text !== null ? { text } : {}),
      };
    });
  } else if (ev.kind === 'tool') {
    const args = inputs.input ?? inputs;
    let parsed: unknown = args;
    if (typeof args === 'string') {
      try {
        parsed = JSON.parse(args);
      } catch {
        parsed = args;
      }
    }
    let result: unknown = outputs?.output ?? outputs;
    if (typeof result === 'string') {
      try {
        result = JSON.parse(result);
      } catch {
        // keep the text
      }
    }
    toolCalls.push({ name: ev.type, arguments: parsed, ...(outputs ? { result } : {}) });
  } else if (ev.kind !== 'embedding') {
    const text = plainText(outputs);
    if (text !== null) ev.content.output = [{ role: 'assistant', content: text }];
  }
  ev.content.toolCalls = toolCalls;
  const sys = ev.content.input.filter((m) => m.role === 'system').map((m) => m.content);
  ev.content.system = sys.length ? sys.join('\n') : null;
  ev.promptHash = ev.content.system ? sha256(ev.content.system) : null;
  const lastUser = [...ev.content.input].reverse().find((m) => m.role === 'user');
  ev.preview = clip(lastUser?.content ?? ev.content.output[0]?.content ?? ev.errorMessage);
  return ev;
}

/** A run, and the runs nested in its `child_runs` (depth first). */
export function mapLangSmithRunTree(run: Json, base: Omit<Provenance, 'index'>): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  const visit = (r: Json, traceId: string | null) => {
    const ev = mapLangSmithRun(r, { ...base, index: out.length });
    ev.traceId = ev.traceId ?? traceId;
    out.push(ev);
    for (const c of arr(r.child_runs)) {
      const co = obj(c);
      if (co) visit(co, ev.traceId);
    }
  };
  visit(run, null);
  return out;
}
