// OpenAI Batch API files: input lines (BatchRequestInput: custom_id, method, url, body) and output/error lines
// (BatchRequestOutput: id, custom_id, response {status_code, request_id, body} | null, error {code, message} | null).
// Each line is one event keyed by its custom_id (trace id `batch:<custom_id>`, span id the custom_id): when the input
// and the output of a batch are opened together, the store merges the two into one call (MERGE_PARTS_SQL in
// eventStore.ts): the request and its messages from the input, the response, usage and status from the output.
import { emptyEvent, type EventKind, type NormalizedEvent, type NormalizedMessage, type NormalizedToolCall, type Provenance } from '../model/normalized';
import { sha256 } from './auditlens';
import { arr, clip, contentText, normalizeTimestamp, num, obj, pick, str, type Json } from './values';

export function isOpenAiBatchInput(value: Json): boolean {
  return typeof value.custom_id === 'string' && typeof value.method === 'string' && typeof value.url === 'string' && obj(value.body) !== null;
}

export function isOpenAiBatchOutput(value: Json): boolean {
  return (
    typeof value.custom_id === 'string' &&
    'response' in value &&
    'error' in value &&
    (value.response === null || obj(value.response) !== null) &&
    (value.error === null || obj(value.error) !== null) &&
    (value.id === undefined || typeof value.id === 'string')
  );
}

function kindOfUrl(url: string | null): EventKind {
  if (!url) return 'llm';
  if (/\/embeddings\b/.test(url)) return 'embedding';
  if (/\/moderations\b/.test(url)) return 'guardrail';
  if (/\/(chat\/completions|completions|responses)\b/.test(url)) return 'llm';
  return 'other';
}

function keyed(ev: NormalizedEvent, customId: string): void {
  ev.traceId = `batch:${customId}`;
  ev.spanId = customId;
}

function toolCallsOf(message: Json | null, out: NormalizedToolCall[]): void {
  for (const t of arr(message?.tool_calls)) {
    const to = obj(t);
    const fn = obj(to?.function);
    if (!to) continue;
    let args: unknown = fn?.arguments;
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args);
      } catch {
        // keep the text
      }
    }
    out.push({ ...(str(to.id) ? { id: str(to.id)! } : {}), name: str(fn?.name) ?? 'unknown', arguments: args });
  }
}

export function mapOpenAiBatchInput(line: Json, provenance: Provenance): NormalizedEvent {
  const url = str(line.url);
  const body = obj(line.body) ?? {};
  const ev = emptyEvent(provenance, kindOfUrl(url), url ?? 'batch request');
  const customId = str(line.custom_id)!;
  keyed(ev, customId);
  ev.id = customId;
  ev.provider = 'openai';
  ev.operation = url?.replace(/^\/v\d+\//, '') ?? null;
  ev.requestModel = str(body.model);
  ev.temperature = num(body.temperature);
  ev.topP = num(body.top_p);
  ev.maxTokens = num(pick(body, 'max_completion_tokens', 'max_tokens', 'max_output_tokens'));
  const metadata = obj(body.metadata);
  ev.userId = str(pick(body, 'user', 'safety_identifier')) ?? str(pick(metadata, 'user_id', 'userId'));
  ev.sessionId = str(pick(metadata, 'session_id', 'sessionId', 'conversation_id'));
  const toolCalls: NormalizedToolCall[] = [];
  const input: NormalizedMessage[] = [];
  for (const m of arr(body.messages)) {
    const mo = obj(m);
    if (!mo) continue;
    toolCallsOf(mo, toolCalls);
    input.push({ role: str(mo.role) ?? 'user', content: contentText(mo.content) ?? '' });
  }
  if (typeof body.instructions === 'string') input.unshift({ role: 'system', content: body.instructions });
  const text = body.input ?? body.prompt;
  if (typeof text === 'string') input.push({ role: 'user', content: text });
  else if (Array.isArray(text)) {
    for (const t of text) {
      const to = obj(t);
      if (typeof t === 'string') input.push({ role: 'user', content: t });
      else if (to) input.push({ role: str(to.role) ?? 'user', content: contentText(to.content) ?? '' });
    }
  }
  ev.content.input = input;
  ev.content.toolCalls = toolCalls;
  const sys = input.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.content);
  ev.content.system = sys.length ? sys.join('\n') : null;
  ev.promptHash = ev.content.system ? sha256(ev.content.system) : null;
  const lastUser = [...input].reverse().find((m) => m.role === 'user');
  ev.preview = clip(lastUser?.content ?? null);
  return ev;
}

export function mapOpenAiBatchOutput(line: Json, provenance: Provenance): NormalizedEvent {
  const response = obj(line.response);
  const body = obj(response?.body);
  const error = obj(line.error) ?? obj(body?.error);
  const isEmbedding = body?.object === 'list' && arr(body.data).some((d) => obj(d)?.object === 'embedding');
  const ev = emptyEvent(provenance, isEmbedding ? 'embedding' : 'llm', 'batch response');
  const customId = str(line.custom_id)!;
  keyed(ev, customId);
  ev.id = str(body?.id) ?? str(line.id);
  ev.provider = 'openai';
  ev.ts = normalizeTimestamp(pick(body, 'created', 'created_at'));
  ev.responseModel = str(body?.model);
  const usage = obj(body?.usage);
  ev.inputTokens = num(pick(usage, 'prompt_tokens', 'input_tokens'));
  ev.outputTokens = num(pick(usage, 'completion_tokens', 'output_tokens'));
  ev.cachedTokens = num(pick(obj(pick(usage, 'prompt_tokens_details', 'input_tokens_details')), 'cached_tokens'));
  ev.reasoningTokens = num(pick(obj(pick(usage, 'completion_tokens_details', 'output_tokens_details')), 'reasoning_tokens'));
  const statusCode = num(response?.status_code);
  ev.status = error || (statusCode !== null && statusCode >= 400) ? 'error' : response ? 'ok' : null;
  ev.errorType = str(pick(error, 'code', 'type')) ?? (ev.status === 'error' && statusCode !== null ? `HTTP ${statusCode}` : null);
  ev.errorMessage = str(error?.message);
  const toolCalls: NormalizedToolCall[] = [];
  const choice = obj(arr(body?.choices)[0]);
  const message = obj(choice?.message);
  if (message) {
    toolCallsOf(message, toolCalls);
    ev.content.output = [{ role: str(message.role) ?? 'assistant', content: contentText(message.content) ?? '' }];
  } else if (typeof choice?.text === 'string') ev.content.output = [{ role: 'assistant', content: choice.text }];
  else if (typeof body?.output_text === 'string') ev.content.output = [{ role: 'assistant', content: body.output_text }];
  else if (Array.isArray(body?.output)) {
    const texts = body!.output.map((o) => contentText(obj(o)?.content)).filter((t): t is string => t !== null);
    if (texts.length) ev.content.output = [{ role: 'assistant', content: texts.join('\n') }];
  }
  ev.content.toolCalls = toolCalls;
  ev.finishReason = str(choice?.finish_reason);
  ev.preview = clip(ev.content.output[0]?.content || ev.errorMessage);
  return ev;
}
