// The row of the events table (and of the chunks table) for one normalized event: the store's column order, with
// the event priced. Pure, so it runs where the event is parsed (the parse worker) as well as beside the store.
import type { NormalizedEvent } from '../model/normalized';
import { priceCall, type PricedCost } from '../pricing/pricing';
import type { PriceTable } from '../pricing/priceTable';
import type { DirectValue } from './sqliteDirect';

/** The columns of events that eventRowValues fills, in its order (every column but rowid). */
export const EVENT_COLUMN_NAMES = [
  'file_index', 'line', 'byte_offset', 'byte_length', 'idx', 'id', 'seq', 'kind',
  'type', 'ts', 'end_ts', 'latency_ms', 'trace_id', 'span_id', 'parent_span_id', 'session_id',
  'conversation_id', 'user_id', 'environment', 'service', 'provider', 'request_model', 'response_model', 'operation',
  'input_tokens', 'output_tokens', 'cached_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'cost', 'cost_source',
  'price_key', 'temperature', 'top_p', 'max_tokens', 'status', 'error_type', 'error_message', 'finish_reason',
  'feedback_rating', 'feedback_ts', 'feedback_comment', 'resolution', 'tags', 'code_file', 'code_line', 'code_function',
  'has_stacktrace', 'prompt_hash', 'prev_hash', 'hash', 'signature', 'action', 'actor', 'target',
  'message_count', 'tool_call_count', 'chunk_count', 'preview',
] as const;
export const EVENT_COLUMNS = EVENT_COLUMN_NAMES.length;
/** Where the line number is in an event row (0-based). */
export const EVENT_LINE_COLUMN = EVENT_COLUMN_NAMES.indexOf('line');
/** The chunks table's columns but event_rowid: position, document_id, chunk_id, score. */
export const CHUNK_COLUMNS = 4;

/** The values of one event for the columns EVENT_COLUMN_NAMES, in that order. */
export function eventRowValues(e: NormalizedEvent, prices: PriceTable): DirectValue[] {
  const billable = e.kind === 'llm' || e.kind === 'embedding' || e.costUsd !== null;
  // Only model calls (or events with a logged cost) are priced; other events have no cost at all.
  const priced: PricedCost | null = billable
    ? priceCall(
        { model: e.responseModel ?? e.requestModel, loggedCostUsd: e.costUsd, inputTokens: e.inputTokens, outputTokens: e.outputTokens, cachedTokens: e.cachedTokens, cacheWriteTokens: e.cacheWriteTokens },
        prices,
      )
    : null;
  const p = e.provenance;
  const messageCount = e.content.input.length + e.content.output.length;
  return [
    p.fileIndex, p.line, p.byteOffset, p.byteLength, p.index,
    e.id, e.seq, e.kind, e.type, e.ts, e.endTs, e.latencyMs,
    e.traceId, e.spanId, e.parentSpanId, e.sessionId, e.conversationId, e.userId, e.environment, e.service,
    e.provider, e.requestModel, e.responseModel, e.operation,
    e.inputTokens, e.outputTokens, e.cachedTokens, e.cacheWriteTokens, e.reasoningTokens,
    e.costUsd, priced?.costUsd ?? null, priced?.source ?? null, priced?.priceKey ?? null,
    e.temperature, e.topP, e.maxTokens,
    e.status, e.errorType, e.errorMessage, e.finishReason,
    e.feedbackRating, e.feedbackTs, e.feedbackComment, e.resolution, e.tags.length ? JSON.stringify(e.tags) : null,
    e.code?.file ?? null, e.code?.line ?? null, e.code?.function ?? null, e.code?.stacktrace ? 1 : 0,
    e.promptHash, e.integrity.prevHash, e.integrity.hash, e.integrity.signature,
    e.system?.action ?? null, e.system?.actor ?? null, e.system?.target ?? null,
    messageCount, e.content.toolCalls.length, e.chunks.length,
    e.preview,
  ];
}

/** The chunk rows of one event (without event_rowid, which the store assigns). */
export function chunkRowValues(e: NormalizedEvent): DirectValue[][] {
  return e.chunks.map((c, i) => [i, c.documentId, c.chunkId, c.score]);
}
