import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_SERIES, chartData, chooseBucket, filterChoices, listSessions } from '../../src/core/query/explore';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';

const repo = path.resolve(__dirname, '..', '..', '..');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');

async function storeOf(lines: object[]) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-explore-')), 'x.jsonl');
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const db = await openDatabase(wasm);
  return (await loadSources(db, [file])).store;
}

describe('filter choices', () => {
  it('offers every model the model filter can match: requested and responded', async () => {
    const store = await storeOf([
      { type: 'llm.call', ts: '2026-11-02T08:00:00Z', model: 'gpt-4o', response_model: 'gpt-4o-2024-08-06' },
      { type: 'llm.call', ts: '2026-11-02T08:01:00Z', response_model: 'claude-sonnet-4-20250514' },
      { type: 'feedback', ts: '2026-11-02T08:02:00Z', feedback: { rating: 1 } },
    ]);
    assert.deepEqual(filterChoices(store).models, ['claude-sonnet-4-20250514', 'gpt-4o', 'gpt-4o-2024-08-06']);
  });
});

describe('chart data', () => {
  it('puts a week from Monday to Sunday in one bucket, from the rollups and from a scan alike', async () => {
    // 2026-11-02 is a Monday, 2026-11-08 a Sunday, 2026-11-09 the next Monday.
    const days = ['2026-11-01', '2026-11-02', '2026-11-05', '2026-11-08', '2026-11-09'];
    const store = await storeOf(days.map((d, i) => ({ type: 'llm.call', ts: `${d}T12:00:00Z`, model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 }, cost_usd: 10 ** i })));
    for (const filter of [{}, { text: 'gpt' }]) {
      const data = chartData(store, filter, 'model', 'week');
      const weeks = data.times.map((t) => new Date(t * 1000).toISOString().slice(0, 10));
      assert.deepEqual(weeks, ['2026-10-26', '2026-11-02', '2026-11-09'], JSON.stringify(filter));
      assert.deepEqual(data.series[0].cost, [1, 10 + 100 + 1000, 10000], JSON.stringify(filter));
    }
  });

  it('stacks at most MAX_SERIES keys, the rest summed in one "others" stack, totals unchanged (rollups and scans alike)', async () => {
    // 30 users over 3 days; user u00 spends least, u29 most.
    const calls = Array.from({ length: 30 * 3 }, (_, i) => ({
      type: 'llm.call', ts: `2026-11-0${2 + (i % 3)}T08:00:00Z`, model: 'gpt-4o', user_id: `u${String(i % 30).padStart(2, '0')}`,
      usage: { input_tokens: 10 + i, output_tokens: 1 }, cost_usd: (i % 30) + 1,
    }));
    const store = await storeOf(calls);
    for (const bucket of ['day', 'hour'] as const) {
      const data = chartData(store, {}, 'user', bucket);
      assert.equal(data.series.length, MAX_SERIES, bucket);
      assert.deepEqual(data.series.slice(0, 3).map((x) => x.key), ['u29', 'u28', 'u27'], bucket);
      const others = data.series[MAX_SERIES - 1];
      assert.deepEqual([others.key, others.others], ['19 others', 19], bucket);
      const sum = (k: 'cost' | 'inputTokens') => data.series.reduce((n, x) => n + x[k].reduce((a, b) => a + b, 0), 0);
      assert.equal(sum('cost'), calls.reduce((n, c) => n + c.cost_usd, 0), bucket);
      assert.equal(sum('inputTokens'), calls.reduce((n, c) => n + c.usage.input_tokens, 0), bucket);
      assert.equal(data.series.filter((x) => x.others).length, 1);
    }
    assert.equal(chartData(store, {}, 'model').series.length, 1, 'few keys: no others stack');
  });

  it('computes nearest-rank latency percentiles per model', async () => {
    // 100 calls of model a with latencies 1..100 ms; 3 calls of model b.
    const calls = Array.from({ length: 100 }, (_, i) => ({ type: 'llm.call', ts: `2026-11-02T08:${String(i % 60).padStart(2, '0')}:00Z`, model: 'a', latency_ms: 100 - i, usage: { input_tokens: 1, output_tokens: 1 } }));
    calls.push(...[5, 50, 500].map((l) => ({ type: 'llm.call', ts: '2026-11-02T09:00:00Z', model: 'b', latency_ms: l, usage: { input_tokens: 1, output_tokens: 1 } })));
    const data = chartData(await storeOf(calls), {}, 'model');
    const a = data.latency.find((l) => l.model === 'a')!;
    assert.deepEqual([a.calls, a.p50, a.p95, a.p99], [100, 50, 95, 99]);
    const b = data.latency.find((l) => l.model === 'b')!;
    assert.deepEqual([b.calls, b.p50, b.p95, b.p99], [3, 50, 500, 500]);
  });

  it('stacks token and cost series whose sums equal the totals, in the bucket chosen from the span', async () => {
    const calls = [
      { type: 'llm.call', ts: '2026-11-02T08:00:00Z', model: 'gpt-4o', user_id: 'u1', usage: { input_tokens: 100, output_tokens: 10 }, cost_usd: 0.5 },
      { type: 'llm.call', ts: '2026-11-02T10:30:00Z', model: 'gpt-4o-mini', user_id: 'u2', usage: { input_tokens: 200, output_tokens: 20 }, cost_usd: 0.25 },
      { type: 'llm.call', ts: '2026-11-02T10:45:00Z', model: 'gpt-4o', user_id: 'u2', usage: { input_tokens: 300, output_tokens: 30 }, cost_usd: 1 },
      { type: 'feedback', ts: '2026-11-02T11:00:00Z', user_id: 'u2', feedback: { rating: -1 } },
    ];
    const store = await storeOf(calls);
    const data = chartData(store, {}, 'user');
    assert.equal(data.bucket, 'minute');
    const sum = (k: 'inputTokens' | 'cost') => data.series.reduce((n, s) => n + s[k].reduce((x, y) => x + y, 0), 0);
    assert.equal(sum('inputTokens'), 600);
    assert.equal(sum('cost'), 1.75);
    assert.deepEqual(data.top.users.map((u) => [u.key, u.cost]), [['u2', 1.25], ['u1', 0.5]]);
    assert.equal(chartData(store, { model: 'gpt-4o' }, 'model', 'hour').times.length, 2, 'two hours with gpt-4o calls');
    assert.equal(chooseBucket('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z'), 'day');
    const sessions = listSessions(store, {});
    assert.deepEqual(sessions, []);
  });

  it('lists sessions with their figures, resolution and outcome tags', async () => {
    const store = await storeOf([
      { type: 'llm.call', ts: '2026-11-02T08:00:00Z', session_id: 's1', user_id: 'u1', model: 'my-finetune', usage: { input_tokens: 10, output_tokens: 2 } },
      { type: 'security.injection_detected', ts: '2026-11-02T08:00:01Z', session_id: 's1', user_id: 'u1' },
      { type: 'session.end', ts: '2026-11-02T08:01:00Z', session_id: 's1', user_id: 'u1', resolution: 'escalated', tags: ['escalated', 'vip'] },
    ]);
    const [s] = listSessions(store, {});
    assert.deepEqual(
      [s.id, s.userId, s.events, s.llmCalls, s.unpriced, s.flags, s.resolution, s.tags],
      ['s1', 'u1', 3, 1, 1, 1, 'escalated', ['escalated', 'vip']],
    );
  });
});
