import * as assert from 'node:assert/strict';
import { normalizeTimestamp, toRecordRow } from '../../src/core/model/toRecordRow';
import { PREVIEW_TEXT_CHARS } from '../../src/core/model/auditRecord';

const at = { line: 3, byteOffset: 10, byteLength: 20 };

describe('toRecordRow', () => {
  it('maps the project format', () => {
    const row = toRecordRow(
      {
        id: 'e1', seq: 7, ts: '2026-11-02T08:00:00Z', type: 'llm.call', session_id: 's', user_id: 'u', environment: 'production',
        provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 10, output_tokens: 5, cached_tokens: 2 }, cost_usd: 0.5,
        latency_ms: 900, status: 'ok',
        messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'first' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'second' }],
      },
      at,
    );
    assert.deepEqual(row, {
      line: 3, byteOffset: 10, byteLength: 20, id: 'e1', seq: 7, ts: '2026-11-02T08:00:00.000Z', type: 'llm.call', sessionId: 's',
      userId: 'u', environment: 'production', provider: 'openai', model: 'gpt-4o', inputTokens: 10, outputTokens: 5, cachedTokens: 2,
      costUsd: 0.5, latencyMs: 900, status: 'ok', text: 'second',
    });
  });

  it('accepts common variants and never throws on wrong types', () => {
    const row = toRecordRow({ timestamp: 1_762_070_400, event_type: 'chat', sessionId: 's2', usage: { prompt_tokens: '12', completion_tokens: 'x' }, model: ['bad'] }, at);
    assert.equal(row.ts, '2025-11-02T08:00:00.000Z');
    assert.equal(row.type, 'chat');
    assert.equal(row.sessionId, 's2');
    assert.equal(row.inputTokens, 12);
    assert.equal(row.outputTokens, null);
    assert.equal(row.model, null);
    assert.equal(toRecordRow({}, at).type, 'unknown');
  });

  it('clips the preview text and summarizes system events', () => {
    const long = toRecordRow({ messages: [{ role: 'user', content: 'x'.repeat(1000) }] }, at);
    assert.equal(long.text!.length, PREVIEW_TEXT_CHARS + 1);
    assert.equal(toRecordRow({ change: { key: 'system_prompt' } }, at).text, 'system_prompt changed');
    assert.equal(toRecordRow({ document: { id: 'd', name: 'Policy.pdf' } }, at).text, 'Policy.pdf');
  });

  it('normalizes timestamps in seconds, milliseconds and ISO form, and rejects garbage', () => {
    assert.equal(normalizeTimestamp(1_700_000_000_000), '2023-11-14T22:13:20.000Z');
    assert.equal(normalizeTimestamp(1_700_000_000), '2023-11-14T22:13:20.000Z');
    assert.equal(normalizeTimestamp('2026-01-01T00:00:00+02:00'), '2025-12-31T22:00:00.000Z');
    assert.equal(normalizeTimestamp('yesterday'), null);
    assert.equal(normalizeTimestamp(''), null);
  });
});
