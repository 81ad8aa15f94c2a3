// Amazon Bedrock model invocation logs (`"schemaType": "ModelInvocationLog"`), as delivered to CloudWatch Logs or to
// S3 (gzip-compressed JSON Lines). One record is one call. The request and response bodies (input.inputBodyJson,
// output.outputBodyJson) are read for messages in the common shapes: the Converse API (also ConverseStream, whose
// logged output is the list of stream events), Anthropic Messages, Amazon Titan Text, Meta Llama / Mistral
// (`prompt`), Cohere; Titan/Cohere embeddings are recognised and their vectors never copied.
import { emptyEvent, type NormalizedEvent, type NormalizedMessage, type NormalizedToolCall, type Provenance } from '../model/normalized';
import { sha256 } from './auditlens';
import { arr, clip, normalizeTimestamp, num, obj, pick, str, type Json, jsonText, addMs } from './values';

export function isBedrockInvocationLog(value: Json): boolean {
  return value.schemaType === 'ModelInvocationLog';
}

/** Text, tool uses and tool results of Anthropic ({type:'text'|'tool_use'|'tool_result'}) or Converse ({text}|{toolUse}|{toolResult}) blocks. */
function blocks(content: unknown, toolCalls: NormalizedToolCall[]): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const b of arr(content)) {
    const o = obj(b);
    if (!o) continue;
    const toolUse = obj(o.toolUse) ?? (o.type === 'tool_use' ? o : null);
    const toolResult = obj(o.toolResult) ?? (o.type === 'tool_result' ? o : null);
    if (toolUse) {
      toolCalls.push({ ...(str(pick(toolUse, 'toolUseId', 'id')) ? { id: str(pick(toolUse, 'toolUseId', 'id'))! } : {}), name: str(toolUse.name) ?? 'unknown', arguments: toolUse.input });
    } else if (toolResult) {
      const parts = arr(toolResult.content).map((c) => {
        const co = obj(c);
        return str(co?.text) ?? (co?.json !== undefined ? jsonText(co.json) : null);
      });
      const text = typeof toolResult.content === 'string' ? toolResult.content : parts.filter((p): p is string => p !== null).join('\n');
      toolCalls.push({ ...(str(pick(toolResult, 'toolUseId', 'tool_use_id')) ? { id: str(pick(toolResult, 'toolUseId', 'tool_use_id'))! } : {}), name: 'tool result', result: text });
      texts.push(text);
    } else if (typeof o.text === 'string') texts.push(o.text);
  }
  return texts.join('\n');
}

function systemText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const texts = arr(value).map((b) => str(obj(b)?.text)).filter((t): t is string => t !== null);
  return texts.length ? texts.join('\n') : null;
}

interface Parsed {
  system: string | null;
  input: NormalizedMessage[];
  output: NormalizedMessage[];
  toolCalls: NormalizedToolCall[];
  finishReason: string | null;
  temperature: number | null;
  topP: number | null;
  maxTokens: number | null;
  responseModel: string | null;
  latencyMs: number | null;
  embedding: boolean;
}

function parseBodies(inBody: Json | null, outBody: unknown): Parsed {
  const p: Parsed = { system: null, input: [], output: [], toolCalls: [], finishReason: null, temperature: null, topP: null, maxTokens: null, responseModel: null, latencyMs: null, embedding: false };
  if (inBody) {
    const cfg = obj(pick(inBody, 'inferenceConfig', 'textGenerationConfig')) ?? inBody;
    p.temperature = num(cfg.temperature);
    p.topP = num(pick(cfg, 'topP', 'top_p', 'p'));
    p.maxTokens = num(pick(cfg, 'maxTokens', 'max_tokens', 'maxTokenCount', 'max_gen_len'));
    p.system = systemText(inBody.system);
    if (p.system) p.input.push({ role: 'system', content: p.system });
    for (const m of arr(inBody.messages)) {
      const mo = obj(m);
      if (mo) p.input.push({ role: str(mo.role) ?? 'user', content: blocks(mo.content, p.toolCalls) });
    }
    const prompt = str(pick(inBody, 'inputText', 'prompt', 'message'));
    if (prompt !== null && !p.input.some((m) => m.role === 'user')) p.input.push({ role: 'user', content: prompt });
  }
  const events = Array.isArray(outBody) ? outBody.map(obj).filter((o): o is Json => o !== null) : null;
  const out = obj(outBody);
  if (events) {
    // A streamed call: Converse stream events or Anthropic stream chunks, in order.
    const texts: string[] = [];
    for (const e of events) {
      const delta = obj(obj(e.contentBlockDelta)?.delta) ?? (e.type === 'content_block_delta' ? obj(e.delta) : null);
      if (delta && typeof delta.text === 'string') texts.push(delta.text);
      p.finishReason = str(obj(e.messageStop)?.stopReason) ?? str(obj(e.delta)?.stop_reason) ?? p.finishReason;
      p.latencyMs = num(obj(obj(e.metadata)?.metrics)?.latencyMs) ?? p.latencyMs;
    }
    p.output.push({ role: 'assistant', content: texts.join('') });
  } else if (out) {
    const converse = obj(obj(out.output)?.message);
    if (converse) p.output.push({ role: str(converse.role) ?? 'assistant', content: blocks(converse.content, p.toolCalls) });
    else if (Array.isArray(out.content)) p.output.push({ role: str(out.role) ?? 'assistant', content: blocks(out.content, p.toolCalls) });
    else {
      const text =
        str(out.generation) ?? // Llama
        str(obj(arr(out.results)[0])?.outputText) ?? // Titan Text
        str(obj(arr(out.outputs)[0])?.text) ?? // Mistral
        str(obj(arr(out.generations)[0])?.text) ?? // Cohere Command
        str(out.text) ?? str(out.completion);
      if (text !== null) p.output.push({ role: 'assistant', content: text });
    }
    p.finishReason = str(pick(out, 'stopReason', 'stop_reason', 'finish_reason')) ?? str(obj(arr(out.results)[0])?.completionReason) ?? str(obj(arr(out.outputs)[0])?.stop_reason);
    p.responseModel = str(out.model);
    p.latencyMs = num(obj(out.metrics)?.latencyMs);
    p.embedding = Array.isArray(out.embedding) || Array.isArray(out.embeddings) || obj(out.embeddingsByType) !== null;
  }
  return p;
}

export function mapBedrockInvocationLog(record: Json, provenance: Provenance): NormalizedEvent {
  const input = obj(record.input) ?? {};
  const output = obj(record.output);
  const modelId = str(record.modelId);
  const inBody = obj(input.inputBodyJson);
  const parsed = parseBodies(inBody, output?.outputBodyJson);
  const embedding = parsed.embedding || /(^|[.:/])(?:[a-z0-9-]*embed)/i.test(modelId ?? '');
  const operation = str(record.operation);
  const ev = emptyEvent(provenance, embedding ? 'embedding' : 'llm', operation ?? 'ModelInvocation');
  ev.id = str(record.requestId);
  ev.ts = normalizeTimestamp(record.timestamp);
  ev.latencyMs = parsed.latencyMs;
  if (ev.ts && ev.latencyMs !== null) ev.endTs = addMs(ev.ts, ev.latencyMs);
  const meta = obj(record.requestMetadata);
  const arn = str(obj(record.identity)?.arn);
  ev.sessionId = str(pick(meta, 'sessionId', 'session_id', 'conversationId', 'conversation_id'));
  ev.userId = str(pick(meta, 'userId', 'user_id', 'user')) ?? arn;
  ev.environment = str(pick(meta, 'environment', 'env'));
  ev.service = str(record.accountId) ? `aws:${str(record.accountId)}:${str(pick(record, 'inferenceRegion', 'region')) ?? ''}` : null;
  ev.provider = 'aws.bedrock';
  ev.requestModel = modelId;
  ev.responseModel = parsed.responseModel;
  ev.operation = operation;
  ev.inputTokens = num(input.inputTokenCount);
  ev.outputTokens = num(output?.outputTokenCount);
  ev.cachedTokens = num(input.cacheReadInputTokenCount);
  ev.cacheWriteTokens = num(input.cacheWriteInputTokenCount);
  ev.temperature = parsed.temperature;
  ev.topP = parsed.topP;
  ev.maxTokens = parsed.maxTokens;
  const errorCode = str(record.errorCode);
  ev.status = errorCode ? 'error' : 'ok';
  ev.errorType = errorCode;
  ev.errorMessage = errorCode ? (str(pick(record, 'errorMessage')) ?? errorCode) : null;
  ev.finishReason = parsed.finishReason;
  ev.content.system = parsed.system;
  ev.content.input = parsed.input;
  ev.content.output = parsed.output;
  ev.content.toolCalls = parsed.toolCalls;
  ev.promptHash = parsed.system ? sha256(parsed.system) : null;
  const lastUser = [...parsed.input].reverse().find((m) => m.role === 'user' && m.content !== '');
  ev.preview = clip(lastUser?.content ?? parsed.output[0]?.content ?? ev.errorMessage);
  return ev;
}
