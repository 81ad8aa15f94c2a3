// The store rules on constructed logs: one event per line, so rowid = line, and every expected line is planted.
import * as assert from 'node:assert/strict';
import { runFindings } from '../../src/core/findings/runFindings';
import { denseRuns } from '../../src/core/findings/storeRules';
import type { Finding, RuleId } from '../../src/core/findings/types';
import { at, llm, loadRecords, type Rec } from '../fixtures/findings/build';

async function findings(records: Rec[], rules: RuleId[], options = {}): Promise<Finding[]> {
  const { db, store } = await loadRecords(records);
  try {
    return await runFindings(store, null, { rules, ...options });
  } finally {
    db.close();
  }
}

const lines = (f: Finding) => f.events.map((e) => e.line);

describe('findings: rules over the store', () => {
  it('marks dense runs of timestamps and merges overlapping windows', () => {
    assert.deepEqual(denseRuns([0, 10, 20, 30, 40, 500, 600], 5, 60), [[0, 4]]);
    assert.deepEqual(denseRuns([0, 10, 20, 30, 40, 50, 60, 70], 5, 40), [[0, 7]]);
    assert.deepEqual(denseRuns([0, 10, 20, 30], 5, 60), []);
  });

  it('latency and token outliers per model (MAD), with a planted outlier; small models and tiny deviations are not flagged', async () => {
    const records: Rec[] = [];
    for (let i = 0; i < 20; i++) {
      const line = i + 1;
      records.push(
        llm({
          ts: at(i * 60),
          model: 'm1',
          latency_ms: line === 15 ? 9000 : 1000 + (i % 5) * 20,
          usage: { input_tokens: line === 12 ? 520 : 500, output_tokens: line === 8 ? 5000 : 100 + (i % 4) * 5 },
        }),
      );
    }
    for (let i = 0; i < 5; i++) records.push(llm({ ts: at(2000 + i * 60), model: 'm2', latency_ms: i === 2 ? 50_000 : 800 }));
    const found = await findings(records, ['latency-outlier', 'token-outlier']);
    assert.equal(found.length, 2);
    const latency = found.find((f) => f.rule === 'latency-outlier')!;
    assert.deepEqual(lines(latency), [15]);
    assert.equal(latency.events[0].rowid, 15);
    assert.equal(latency.severity, 'medium');
    assert.equal(latency.details.model, 'm1');
    assert.equal(latency.details.median, 1040);
    assert.equal(latency.details.mad, 20);
    assert.equal(latency.details.maxValue, 9000);
    assert.ok((latency.details.maxScore as number) > 200);
    const tokens = found.find((f) => f.rule === 'token-outlier')!;
    assert.deepEqual(lines(tokens), [8]);
    assert.equal(tokens.details.metric, 'output_tokens');
    // A stricter threshold keeps them; an absurd one drops them.
    assert.equal((await findings(records, ['latency-outlier'], { outlierThreshold: 1000 })).length, 0);
  });

  it('error bursts: five or more errors within a minute, not four, not spread out', async () => {
    const r: Rec[] = [];
    const push = (t: number, status: string) => r.push(llm({ ts: at(t), status, ...(status === 'error' ? { error: { type: 'timeout', message: 'x' } } : {}) }));
    push(0, 'ok');
    push(60, 'ok');
    for (const t of [100, 110, 120, 130, 140]) push(t, 'error'); // lines 3-7
    push(200, 'ok'); // 8
    for (const t of [300, 310, 320, 330]) push(t, 'error'); // 9-12: only four
    for (let k = 0; k < 6; k++) push(1000 + k * 120, 'error'); // 13-18: two minutes apart
    for (let k = 0; k < 6; k++) push(5000 + k * 10, 'error'); // 19-24
    const found = await findings(r, ['error-burst']);
    assert.deepEqual(found.map(lines), [[3, 4, 5, 6, 7], [19, 20, 21, 22, 23, 24]]);
    assert.equal(found[0].severity, 'medium');
    assert.equal(found[0].details.errors, 5);
    assert.deepEqual(found[0].details.errorTypes, ['timeout']);
    assert.equal((await findings(r, ['error-burst'], { errorBurst: { count: 4, windowMs: 60_000 } })).length, 3);
  });

  it('retry storms: the same prompt many times in one session within a short window', async () => {
    const r: Rec[] = [];
    const call = (session: string, t: number, text: string, system?: string) =>
      r.push(llm({ session_id: session, ts: at(t), messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: text }] }));
    for (let k = 0; k < 6; k++) call('s1', k * 5, 'refund please'); // 1-6: storm
    for (let k = 0; k < 6; k++) call('s2', k * 5, `question ${k}`); // 7-12: different prompts
    for (let k = 0; k < 6; k++) call('s3', k * 300, 'refund please'); // 13-18: five minutes apart
    for (let k = 0; k < 4; k++) call('s4', k * 2, 'refund please'); // 19-22: only four
    for (let k = 0; k < 6; k++) call('s5', k * 5, 'refund please', k % 2 ? 'System A' : 'System B'); // 23-28: two templates, three each
    const found = await findings(r, ['retry-storm']);
    assert.equal(found.length, 1);
    assert.deepEqual(lines(found[0]), [1, 2, 3, 4, 5, 6]);
    assert.equal(found[0].details.sessionId, 's1');
    assert.equal(found[0].details.calls, 6);
    assert.match(found[0].message, /refund please/);
  });

  it('cost spikes: an hour far above the rolling median, with a real amount', async () => {
    const r: Rec[] = [];
    for (let h = 0; h < 10; h++) for (let k = 0; k < 2; k++) r.push(llm({ ts: at(h * 3600 + k * 60), cost_usd: 0.5 })); // 1-20: $1 an hour
    for (let k = 0; k < 4; k++) r.push(llm({ ts: at(10 * 3600 + k * 60), cost_usd: 5 })); // 21-24: $20
    for (let k = 0; k < 2; k++) r.push(llm({ ts: at(11 * 3600 + k * 60), cost_usd: 1.5 })); // 25-26: $3, under 5 ×
    const found = await findings(r, ['cost-spike']);
    assert.equal(found.length, 1);
    assert.deepEqual(lines(found[0]), [21, 22, 23, 24]);
    assert.equal(found[0].eventCount, 4);
    assert.equal(found[0].ts, '2026-11-02T18:00:00.000Z');
    assert.equal(found[0].details.costUsd, 20);
    assert.equal(found[0].details.baselineUsd, 1);
    assert.equal((await findings(r, ['cost-spike'], { costSpike: { minIncreaseUsd: 50 } })).length, 0, 'under the minimum amount');
  });

  it('logging gaps: over k × the median gap and over the minimum', async () => {
    const r: Rec[] = [];
    for (let i = 0; i < 30; i++) r.push(llm({ ts: at(i * 60), latency_ms: undefined })); // 1-30
    const resume = 29 * 60 + 3 * 3600;
    for (let i = 0; i < 10; i++) r.push(llm({ ts: at(resume + i * 60), latency_ms: undefined })); // 31-40
    const again = resume + 9 * 60 + 30 * 60;
    for (let i = 0; i < 10; i++) r.push(llm({ ts: at(again + i * 60), latency_ms: undefined })); // 41-50: after 30 min (under 1 h)
    const found = await findings(r, ['logging-gap']);
    assert.equal(found.length, 1);
    assert.deepEqual(lines(found[0]), [30, 31]);
    assert.equal(found[0].details.gapMs, 3 * 3_600_000);
    assert.equal(found[0].details.medianGapMs, 60_000);
    assert.equal((await findings(r, ['logging-gap'], { gap: { minGapMs: 10 * 60_000 } })).length, 2);
  });

  it('retention: records older than the policy, only when a policy is given', async () => {
    const r = [
      llm({ ts: '2025-01-01T10:00:00.000Z' }),
      llm({ ts: '2025-01-02T10:00:00.000Z' }),
      llm({ ts: '2025-01-03T10:00:00.000Z' }),
      llm({ ts: '2025-12-01T10:00:00.000Z' }),
      llm({ ts: '2025-12-02T10:00:00.000Z' }),
      llm({ ts: undefined }),
    ];
    const found = await findings(r, ['retention'], { retentionDays: 90, now: '2026-01-01T00:00:00Z' });
    assert.equal(found.length, 1);
    assert.deepEqual(lines(found[0]), [1, 2, 3]);
    assert.equal(found[0].eventCount, 3);
    assert.equal(found[0].details.cutoff, '2025-10-03T00:00:00.000Z');
    assert.equal(found[0].severity, 'medium');
    assert.equal((await findings(r, ['retention'], { retentionDays: 400, now: '2026-01-01T00:00:00Z' })).length, 0);
    const { db, store } = await loadRecords(r);
    assert.equal((await runFindings(store, null, {})).filter((f) => f.rule === 'retention').length, 0, 'no policy, no retention rule');
    db.close();
  });

  it('missing required fields: user (or actor), model for model calls, timestamp', async () => {
    const r = [
      llm({}),
      llm({ user_id: undefined }), // 2
      llm({ model: undefined }), // 3
      llm({ ts: undefined }), // 4
      { schema: 'auditlens/1', ts: at(10), type: 'system.config_change', actor: 'u_admin', change: { key: 'x', before: 1, after: 2 } }, // 5: an actor is enough
      { schema: 'auditlens/1', ts: at(11), type: 'access.login' }, // 6: nobody
    ];
    const found = await findings(r, ['missing-fields']);
    const by = Object.fromEntries(found.map((f) => [f.details.field as string, f]));
    assert.deepEqual(Object.keys(by).sort(), ['model', 'timestamp', 'user']);
    assert.deepEqual(lines(by.user), [2, 6]);
    assert.deepEqual(lines(by.model), [3]);
    assert.deepEqual(lines(by.timestamp), [4]);
    assert.equal(by.timestamp.severity, 'medium');
    assert.equal(by.user.severity, 'low');
    assert.deepEqual(by.user.details.kinds, ['access:1', 'llm:1']);
  });

  it('returns stable ids, most severe first, reports progress, caps per rule, and stops when aborted', async () => {
    const r: Rec[] = [llm({ user_id: undefined, model: undefined })];
    for (let k = 0; k < 6; k++) r.push(llm({ ts: at(100 + k), status: 'error', error: { type: 'e', message: 'x' } }));
    const { db, store } = await loadRecords(r);
    try {
      const progress: string[] = [];
      const a = await runFindings(store, null, { rules: ['missing-fields', 'error-burst'], onProgress: (p) => progress.push(`${p.rule}:${p.rulesDone}/${p.rules}`) });
      const b = await runFindings(store, null, { rules: ['missing-fields', 'error-burst'] });
      assert.deepEqual(a.map((f) => f.id), b.map((f) => f.id));
      assert.ok(a.every((f) => /^[a-z-]+:[0-9a-f]{12}$/.test(f.id)));
      assert.deepEqual(a.map((f) => f.severity), ['medium', 'low', 'low']);
      assert.deepEqual(progress, ['error-burst:1/2', 'missing-fields:2/2']);
      const capped = await runFindings(store, null, { rules: ['missing-fields'], maxFindingsPerRule: 1 });
      assert.equal(capped.length, 2);
      assert.equal(capped[1].severity, 'info');
      assert.equal(capped[1].details.omitted, 1);
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(runFindings(store, null, { signal: ac.signal }));
      await assert.rejects(runFindings(store, null, { rules: ['nope' as RuleId] }), /unknown findings rule "nope"/);
    } finally {
      db.close();
    }
  });
});
