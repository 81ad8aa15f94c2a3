// Amazon Bedrock model invocation logs, gzipped JSON Lines as delivered to S3 (tools/bedrock-fixtures builds them from
// the published log fields); expected.json states what was generated.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { mapValue } from '../../src/core/formats/mapValue';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import type { SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(repo, 'test', 'fixtures', 'bedrock');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const logs = path.join(dir, expected.files.logs);
const records: Record<string, unknown>[] = zlib.gunzipSync(fs.readFileSync(logs)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
const base = { fileIndex: 0, line: 1, byteOffset: 0, byteLength: 1 };

function mapOne(i: number) {
  const m = mapValue(records[i], base);
  assert.ok(m.ok && m.dialect === 'bedrock');
  return m.events[0];
}

describe('Amazon Bedrock model invocation logs (gzip JSON Lines)', () => {
  it('reads the gzip file as bedrock records: calls, kinds, tokens, errors, sessions, users, models', async () => {
    const db = await openDatabase(wasm);
    const { store, summary } = await loadSources(db, [logs]);
    assert.equal(summary.files[0].compressed, true);
    assert.equal(summary.skipped, 0);
    assert.deepEqual(summary.files[0].dialects, { bedrock: expected.records });
    assert.deepEqual({ ...summary.eventsByKind }, { llm: expected.calls.llm, embedding: expected.calls.embedding });
    assert.equal(summary.inputTokens, expected.totals.inputTokens);
    assert.equal(summary.outputTokens, expected.totals.outputTokens);
    const [cached, written] = store.query('SELECT sum(cached_tokens), sum(cache_write_tokens) FROM events').rows[0];
    assert.deepEqual([cached, written], [expected.totals.cacheReadTokens, expected.totals.cacheWriteTokens]);
    assert.equal(summary.errors, expected.calls.errors);
    assert.deepEqual(store.query("SELECT error_type FROM events WHERE status = 'error'").rows.map((r: SqlValue[]) => r[0]), expected.errorCodes);
    assert.equal(summary.sessions, expected.sessions.count);
    assert.deepEqual(store.query('SELECT DISTINCT user_id FROM events ORDER BY 1').rows.map((r: SqlValue[]) => r[0]), expected.users);
    assert.deepEqual(store.query('SELECT DISTINCT request_model FROM events ORDER BY 1').rows.map((r: SqlValue[]) => r[0]), expected.models);
    assert.deepEqual(
      store.query('SELECT id, operation, input_tokens, output_tokens FROM events ORDER BY ts').rows,
      expected.perRecord.map((r: { requestId: string; operation: string; inputTokens: number | null; outputTokens: number | null }) => [r.requestId, r.operation, r.inputTokens, r.outputTokens]),
    );
    db.close();
  });

  it('reads messages, system, parameters and tool use from Converse bodies', () => {
    const first = mapOne(0);
    assert.equal(first.content.system, 'You are the Acme billing assistant.');
    assert.deepEqual(first.content.input.map((m) => m.role), ['system', 'user']);
    assert.equal(first.content.output[0].content, 'Let me check that invoice.');
    assert.deepEqual(first.content.toolCalls, [{ id: 'tooluse_bk_0001', name: 'lookup_invoice', arguments: { invoice_id: 'INV-778' } }]);
    assert.deepEqual([first.temperature, first.topP, first.maxTokens, first.finishReason, first.latencyMs], [0.3, 0.9, 512, 'tool_use', 812]);
    assert.equal(first.endTs, '2025-03-10T09:00:00.812Z');
    assert.deepEqual([first.sessionId, first.userId, first.provider], ['bk-sess-0001', 'bk-user-01', 'aws.bedrock']);
    const second = mapOne(1);
    assert.ok(second.content.toolCalls.some((t) => t.name === 'tool result' && String(t.result).includes('"refunded":1')));
    assert.equal(second.cachedTokens, 384);
  });

  it('joins the text of a ConverseStream call from its logged stream events', () => {
    const streamed = mapOne(2);
    assert.equal(streamed.content.output[0].content, 'Open Billing > Payment methods and choose Replace card.');
    assert.deepEqual([streamed.finishReason, streamed.latencyMs], ['end_turn', 455]);
  });

  it('reads Anthropic Messages, Titan Text, Llama and Titan Embeddings bodies; the ARN is the user without app ids', () => {
    const claude = mapOne(4);
    assert.equal(claude.content.system, 'You are the Acme billing assistant.');
    assert.equal(claude.content.input[1].content, 'Summarize the refund policy in one sentence.');
    assert.match(claude.content.output[0].content, /refunded within 5 business days/);
    assert.deepEqual([claude.responseModel, claude.cacheWriteTokens, claude.finishReason, claude.temperature, claude.maxTokens], ['claude-3-5-sonnet-20241022', 1024, 'end_turn', 0, 300]);
    assert.match(claude.userId ?? '', /^arn:aws:sts::111122223333:assumed-role\/analyst\//);
    assert.equal(claude.sessionId, null);
    const titan = mapOne(5);
    assert.deepEqual([titan.content.input[0].content, titan.content.output[0].content, titan.finishReason, titan.maxTokens], [
      'List three reasons a card payment can fail.', 'Insufficient funds, an expired card, or a bank fraud block.', 'FINISH', 200,
    ]);
    const llama = mapOne(6);
    assert.deepEqual([llama.content.output[0].content, llama.finishReason, llama.maxTokens], ['Facture.', 'stop', 64]);
    const embed = mapOne(7);
    assert.equal(embed.kind, 'embedding');
    assert.equal(embed.content.input[0].content, 'duplicate charge refund');
    assert.ok(!JSON.stringify(embed).includes('0.540302'), 'the vector is not copied');
  });

  it('reports a throttled call as an error with its errorCode', () => {
    const throttled = mapOne(3);
    assert.deepEqual([throttled.status, throttled.errorType, throttled.outputTokens, throttled.preview], ['error', 'ThrottlingException', null, 'And can I pay by bank transfer?']);
  });

  it('audit-lens summary --json gives the counts the generator wrote', function () {
    this.timeout(20_000);
    const out = JSON.parse(execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'summary', logs, '--json'], { encoding: 'utf8' }));
    assert.equal(out.files[0].compressed, true);
    assert.deepEqual(out.files[0].dialects, { bedrock: expected.records });
    assert.equal(out.events, expected.calls.total);
    assert.equal(out.inputTokens, expected.totals.inputTokens);
    assert.equal(out.outputTokens, expected.totals.outputTokens);
    assert.equal(out.errors, expected.calls.errors);
    assert.equal(out.sessions, expected.sessions.count);
    assert.equal(out.users, expected.users.length);
    assert.deepEqual(out.models, expected.models);
  });
});
