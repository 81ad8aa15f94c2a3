// The rollup tables (src/core/store/rollups.ts) and the charts read from them: for every filter, stack and bucket the
// rollups can serve, chartData from the rollups must equal chartData from full scans of the same store, bit for bit;
// for every other filter or bucket the scan must be chosen, and why.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import type { Database } from 'sql.js';
import { QueryRefusedError, runReadOnly, schemaInfo } from '../../src/core/analysis/queryGuard';
import { chartData, chartPlan, type Bucket, type ChartData, type StackBy } from '../../src/core/query/explore';
import type { EventFilter } from '../../src/core/query/filter';
import { Random } from '../../src/core/sample/random';
import type { EventStore } from '../../src/core/store/eventStore';
import { buildRollups, combineCost, latencySummary, nearestRank, rollupState, rollupsUsable } from '../../src/core/store/rollups';
import { loadFiles, loadRecords, repo, sample, type Rec } from '../fixtures/findings/build';

const DAY = 86_400_000;
const START = Date.parse('2026-01-05T00:00:00.000Z');

/**
 * About 2,400 records over ~150 days: LLM and embedding calls with every combination the charts group by, including
 * absent models, users, sessions and environments, a response model that differs from the requested one, unpriced
 * calls, calls without a timestamp or a latency, costs with many digits (so sums of group sums round differently
 * from one sum), and other events (feedback, sessions, tools, security) that count for the time span only.
 */
function generated(seed = 7): Rec[] {
  const rng = new Random(seed);
  const models: Rec[] = [
    { model: 'gpt-4o-mini', response_model: 'gpt-4o-mini-2024-07-18' },
    { model: 'gpt-4o' },
    { response_model: 'claude-sonnet-4-20250514' },
    { model: 'my-finetune' },
    {},
  ];
  const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', undefined];
  const envs = ['production', 'production', 'staging', undefined];
  const statuses = ['ok', 'ok', 'ok', 'error', 'blocked', undefined];
  const records: Rec[] = [];
  let seq = 0;
  for (let i = 0; i < 2400; i++) {
    const t = START + rng.int(0, 150) * DAY + rng.int(0, DAY - 1);
    const session = rng.chance(0.9) ? `s${rng.int(1, 260)}` : undefined;
    const base: Rec = { schema: 'auditlens/1', seq: ++seq, id: `e${seq}`, ts: rng.chance(0.01) ? undefined : new Date(t).toISOString(), session_id: session, user_id: rng.pick(users), environment: rng.pick(envs) };
    const r = rng.next();
    let rec: Rec;
    if (r < 0.7) {
      rec = {
        ...base,
        type: 'llm.call',
        ...rng.pick(models),
        usage: rng.chance(0.95) ? { input_tokens: rng.int(1, 9000), output_tokens: rng.int(0, 2000), ...(rng.chance(0.4) ? { cached_tokens: rng.int(0, 500) } : {}) } : undefined,
        cost_usd: rng.chance(0.6) ? rng.int(1, 9_999_999) / 3_000_000_007 + rng.int(0, 3) / 7 : undefined,
        latency_ms: rng.chance(0.9) ? (rng.chance(0.5) ? rng.int(50, 9000) : rng.int(50, 9000) + rng.next()) : undefined,
        status: rng.pick(statuses),
        ...(rng.chance(0.03) ? { feedback: { rating: -1 } } : {}),
      };
    } else if (r < 0.8) {
      rec = { ...base, type: 'embedding.create', model: 'text-embedding-3-small', usage: { input_tokens: rng.int(1, 800) }, latency_ms: rng.int(5, 300), status: 'ok', ...(rng.chance(0.5) ? { cost_usd: rng.int(1, 999) / 1e9 } : {}) };
    } else {
      rec = { ...base, type: rng.pick(['feedback', 'session.start', 'tool.lookup', 'security.injection_detected']), ...(rng.chance(0.5) ? { feedback: { rating: rng.pick([1, -1]) } } : {}) };
    }
    for (const k of Object.keys(rec)) if (rec[k] === undefined) delete rec[k];
    records.push(rec);
  }
  // Events (not calls) before and after every call: the span the bucket is chosen from is wider than the calls'.
  records.push({ schema: 'auditlens/1', seq: ++seq, id: 'first', ts: '2025-12-20T10:00:00.000Z', type: 'system.config_change', environment: 'staging' });
  records.push({ schema: 'auditlens/1', seq: ++seq, id: 'last', ts: '2026-07-01T10:00:00.000Z', type: 'access.export', user_id: 'u1' });
  return records;
}

function assertSameCharts(store: EventStore, filter: EventFilter, stackBy: StackBy, bucket: Bucket | undefined): ChartData {
  const scan = chartData(store, filter, stackBy, bucket, { rollups: false });
  const plan = chartPlan(store, filter, bucket);
  const label = JSON.stringify({ filter, stackBy, bucket });
  // Whenever the scan charts by day, week or month, the rollups must have been chosen (and agree with it).
  if (scan.bucket === 'day' || scan.bucket === 'week' || scan.bucket === 'month') assert.equal(plan.path, 'rollup', `${label}: ${plan.path === 'scan' ? plan.reason : ''}`);
  else assert.equal(plan.path, 'scan', label);
  const fromRollups = chartData(store, filter, stackBy, bucket);
  assert.deepStrictEqual(fromRollups, scan, label);
  return scan;
}

describe('rollups', () => {
  describe('charts from the rollups equal the scans', () => {
    let db: Database;
    let store: EventStore;
    before(async () => {
      ({ db, store } = await loadRecords(generated()));
    });
    after(() => db.close());

    it('are built at load and usable', () => {
      const state = rollupState(db)!;
      assert.equal(state.usable, true, state.reason);
      assert.ok(state.groups > 500 && state.days > 100, JSON.stringify(state));
      assert.ok(rollupsUsable(db));
      // Every call with a timestamp is in exactly one group.
      const calls = store.query("SELECT count(*) FROM events WHERE kind IN ('llm', 'embedding') AND ts IS NOT NULL").rows[0][0] as number;
      assert.ok(calls > 1500);
      assert.deepEqual(store.query('SELECT sum(calls) FROM rollup.call_groups').rows, [[calls]]);
      assert.deepEqual(store.query('SELECT sum(calls) FROM rollup.calls_daily').rows, [[calls]]);
    });

    const filters: EventFilter[] = [
      {},
      { environment: 'staging' },
      { environment: 'production', status: 'error' },
      { status: 'blocked' },
      { model: 'gpt-4o-mini-2024-07-18' }, // the response model of gpt-4o-mini calls
      { model: 'gpt-4o' },
      { model: 'claude-sonnet-4-20250514', environment: 'production' },
      { kind: 'embedding' },
      { kind: 'llm', status: 'ok' },
      { kind: 'tool' }, // no calls at all
      { userId: 'u3' },
      { userId: 'u5', environment: 'production', model: 'my-finetune' },
      { sessionId: 's17' },
      { from: '2026-02-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' },
      { from: '2026-03-02' }, // a day's date sorts before every time of that day
      { to: '2026-02-15T23:59:59.999Z', userId: 'u2' },
      { from: '2026-01-19T00:00:00.000Z', to: '2026-04-19T23:59:59.999Z', model: 'gpt-4o-mini', status: 'ok', environment: 'production' },
    ];
    for (const stackBy of ['model', 'user', 'environment'] as StackBy[]) {
      it(`stacked by ${stackBy}, for every filter and bucket`, () => {
        let nonEmpty = 0;
        for (const filter of filters) {
          for (const bucket of [undefined, 'day', 'week', 'month'] as (Bucket | undefined)[]) {
            const data = assertSameCharts(store, filter, stackBy, bucket);
            if (data.series.length > 0 && data.latency.length > 0 && data.top.sessions.length > 0) nonEmpty++;
          }
        }
        assert.ok(nonEmpty >= 50, `most comparisons have data (${nonEmpty})`);
      });
    }

    it('chooses the same bucket from the span of all events, not only the calls', () => {
      // The calls span ~150 days (day buckets); the first and last events stretch the span to ~193 days, still days.
      // u1's calls alone span less, but the filter keeps u1's export event at the end: the exact span decides.
      for (const filter of [{}, { userId: 'u1' }, { environment: 'staging' }, { kind: 'security' }, { userId: 'nobody' }] as EventFilter[]) {
        const scan = chartData(store, filter, 'model', undefined, { rollups: false });
        const plan = chartPlan(store, filter);
        assert.equal(plan.bucket, scan.bucket, JSON.stringify(filter));
        assert.deepStrictEqual(chartData(store, filter, 'model'), scan);
      }
    });

    it("chooses the bucket from the filtered events' span when the calls alone would give another", async () => {
      const ev = (ts: string, fields: Rec) => ({ schema: 'auditlens/1', ts, user_id: 'ux', environment: 'qa', ...fields });
      const { db: other, store: s } = await loadRecords([
        ev('2026-03-01T10:00:00.000Z', { type: 'llm.call', model: 'gpt-4o', cost_usd: 0.1, latency_ms: 10 }),
        ev('2026-03-02T09:00:00.000Z', { type: 'llm.call', model: 'gpt-4o', cost_usd: 0.2, latency_ms: 20 }),
        ev('2026-05-01T10:00:00.000Z', { type: 'feedback', feedback: { rating: 1 } }), // two months later: days, not hours
        ev('2024-01-01T10:00:00.000Z', { type: 'session.start', user_id: 'other', environment: 'other' }),
        ev('2025-06-01T10:00:00.000Z', { type: 'llm.call', user_id: 'other', environment: 'other', model: 'gpt-4o', cost_usd: 0.3 }),
        ev('2025-06-05T10:00:00.000Z', { type: 'llm.call', user_id: 'other', environment: 'other', model: 'gpt-4o', cost_usd: 0.4 }),
      ]);
      try {
        for (const [filter, bucket] of [[{ userId: 'ux' }, 'day'], [{ environment: 'qa' }, 'day'], [{ environment: 'other' }, 'week'], [{}, 'week']] as [EventFilter, Bucket][]) {
          assert.equal(chartData(s, filter, 'model', undefined, { rollups: false }).bucket, bucket, JSON.stringify(filter));
          assertSameCharts(s, filter, 'model', undefined);
        }
      } finally {
        other.close();
      }
    });

    it('adds costs exactly: sums of per-group sums would differ from the scan, the rollups do not', () => {
      // What a daily rollup with plain cost sums would give: per (day, model) sums, added up per month.
      const naive = store.query(
        `SELECT bucket, k, sum(c) FROM (
           SELECT substr(ts, 1, 7) AS bucket, coalesce(request_model, response_model, '(no model)') AS k, sum(cost) AS c FROM events
           WHERE kind IN ('llm', 'embedding') AND ts IS NOT NULL GROUP BY substr(ts, 1, 10), k)
         GROUP BY bucket, k`,
      ).rows;
      const scan = chartData(store, {}, 'model', 'month', { rollups: false });
      let differing = 0;
      for (const [bucket, key, cost] of naive) {
        const s = scan.series.find((x) => x.key === key)!;
        const i = scan.times.indexOf(Date.parse(`${bucket}-01T00:00:00Z`) / 1000);
        if (s.cost[i] !== cost) differing++;
      }
      assert.ok(differing > 0, 'the data is one where adding rounded group sums changes the last bits');
      assert.equal(chartPlan(store, {}, 'month').path, 'rollup');
      assert.deepStrictEqual(chartData(store, {}, 'model', 'month'), scan);
    });

    it('serves the unfiltered top lists and latency percentiles from precomputed tables', () => {
      const scan = chartData(store, {}, 'model', 'day', { rollups: false });
      assert.deepEqual(
        store.query('SELECT session_id, cost, calls FROM rollup.top_sessions ORDER BY rank').rows,
        scan.top.sessions.map((s) => [s.key, s.cost, s.calls]),
      );
      assert.deepEqual(
        store.query('SELECT user_id, cost, calls FROM rollup.top_users ORDER BY rank').rows,
        scan.top.users.map((s) => [s.key, s.cost, s.calls]),
      );
      assert.deepEqual(
        store.query('SELECT model, calls, p50, p95, p99 FROM rollup.latency ORDER BY model').rows,
        scan.latency.map((l) => [l.model, l.calls, l.p50, l.p95, l.p99]),
      );
      assert.ok(scan.latency.length >= 5 && scan.unpricedCalls > 0 && scan.top.sessions.length === 10);
    });
  });

  describe('on fixtures of other formats', () => {
    const fixtures = [
      [sample],
      [path.join(repo, 'test/fixtures/otel/traces.otlp.jsonl'), path.join(repo, 'test/fixtures/otel/logs.otlp.jsonl')],
      [path.join(repo, 'test/fixtures/otel/traces.responses.otlp.jsonl'), path.join(repo, 'test/fixtures/otel/logs.responses.otlp.jsonl')],
      [path.join(repo, 'test/fixtures/langfuse/ingestion.jsonl')],
      [path.join(repo, 'test/fixtures/openinference/traces.openinference.otlp.jsonl')],
    ];
    for (const files of fixtures) {
      it(path.basename(files[0]), async () => {
        const { db, store } = await loadFiles(files);
        try {
          assert.equal(rollupState(db)!.usable, true, rollupState(db)!.reason);
          const calls = store.query("SELECT count(*) FROM events WHERE kind IN ('llm', 'embedding') AND ts IS NOT NULL").rows[0][0] as number;
          assert.ok(calls > 0);
          const some = store.query("SELECT user_id, session_id, environment, coalesce(response_model, request_model) FROM events WHERE kind IN ('llm', 'embedding') AND ts IS NOT NULL ORDER BY rowid DESC LIMIT 1").rows[0];
          const filters: EventFilter[] = [{}, { userId: (some[0] as string) ?? 'none' }, { sessionId: (some[1] as string) ?? 'none' }, { environment: (some[2] as string) ?? 'none' }, { model: (some[3] as string) ?? 'none' }, { kind: 'llm' }];
          for (const filter of filters) {
            for (const stackBy of ['model', 'user', 'environment'] as StackBy[]) {
              for (const bucket of ['day', 'week', 'month'] as Bucket[]) assertSameCharts(store, filter, stackBy, bucket);
            }
          }
          // These logs span minutes to hours: the automatic bucket is finer than a day, so the events are scanned.
          assertSameCharts(store, {}, 'model', undefined);
        } finally {
          db.close();
        }
      });
    }
  });

  describe('falls back to scanning', () => {
    let db: Database;
    let store: EventStore;
    before(async () => {
      ({ db, store } = await loadRecords(generated(11)));
    });
    after(() => db.close());

    const scanned = (filter: EventFilter, bucket: Bucket | undefined, reason: RegExp) => {
      const plan = chartPlan(store, filter, bucket);
      assert.equal(plan.path, 'scan', JSON.stringify(filter));
      if (plan.path === 'scan') assert.match(plan.reason, reason);
      assert.deepStrictEqual(chartData(store, filter, 'model', bucket), chartData(store, filter, 'model', bucket, { rollups: false }));
    };

    it('for filters the rollups have no column for', () => {
      db.run('CREATE TEMP TABLE sel_1 AS SELECT rowid FROM events WHERE rowid % 3 = 0');
      scanned({ text: 'question' }, 'day', /filter on text/);
      scanned({ promptHash: 'abc' }, 'day', /filter on promptHash/);
      scanned({ codeFile: 'src/x.ts' }, 'day', /filter on codeFile/);
      scanned({ codeLine: '42' }, 'day', /filter on codeLine/);
      scanned({ selection: 'sel_1' }, 'week', /filter on selection/);
      scanned({ status: 'flagged' }, 'month', /flagged/);
      scanned({ environment: 'production', text: 'x' }, undefined, /filter on text/);
    });

    it('for minute and hour buckets, asked for or chosen from a short span', () => {
      scanned({}, 'hour', /hour buckets/);
      scanned({}, 'minute', /minute buckets/);
      // One day (at day boundaries): the span gives hourly buckets.
      const oneDay = { from: '2026-02-10T00:00:00.000Z', to: '2026-02-10T23:59:59.999Z' };
      scanned(oneDay, undefined, /hour buckets/);
      assert.equal(chartData(store, oneDay, 'model').bucket, 'hour');
      // …but by day, that same filter is answered from the rollups.
      assert.equal(chartPlan(store, oneDay, 'day').path, 'rollup');
    });

    it('when the time range cuts through the calls of a day, and not when it only looks like it does', () => {
      // A day whose calls of one model, environment and status (one row of calls_daily) lie on both sides of `mid`.
      const [date, groupFirst, groupLast] = store.query('SELECT day, first_ts, last_ts FROM rollup.calls_daily WHERE first_ts < last_ts ORDER BY day LIMIT 1 OFFSET 20').rows[0] as string[];
      const mid = new Date((Date.parse(groupFirst) + Date.parse(groupLast)) / 2).toISOString();
      const [first, last] = store.query("SELECT min(ts), max(ts) FROM events WHERE kind IN ('llm', 'embedding') AND substr(ts, 1, 10) = ?", [date]).rows[0] as string[];
      scanned({ from: mid, to: '2026-06-30T23:59:59.999Z' }, 'day', /cuts through a day/);
      scanned({ from: '2026-01-01T00:00:00.000Z', to: mid }, 'week', /cuts through a day/);
      // From just before the day's first call: no call of that day is left out, the rollups answer exactly.
      const justBefore = new Date(Date.parse(first) - 1).toISOString();
      assert.ok(justBefore.startsWith(date) && justBefore > `${date}T00:00:00.000Z`, 'a bound inside the day');
      for (const filter of [{ from: justBefore }, { from: justBefore, to: new Date(Date.parse(last) + 1).toISOString() }] as EventFilter[]) {
        assert.equal(chartPlan(store, filter, 'day').path, 'rollup', JSON.stringify(filter));
        assertSameCharts(store, filter, 'user', 'day');
      }
    });

    it('when the rollups are gone (detached, as a reopened database would be)', async () => {
      const { db: other, store: s } = await loadRecords(generated(3).slice(0, 300));
      try {
        assert.equal(chartPlan(s, {}, 'day').path, 'rollup');
        other.run('DETACH DATABASE rollup');
        assert.equal(rollupsUsable(other), false);
        const plan = chartPlan(s, {}, 'day');
        assert.equal(plan.path, 'scan');
        assert.equal(chartData(s, {}, 'model', 'day').series.length > 0, true);
      } finally {
        other.close();
      }
    });
  });

  describe('stay unused when the data breaks their assumptions', () => {
    const call = (fields: Rec) => ({ schema: 'auditlens/1', type: 'llm.call', ts: '2026-03-01T10:00:00.000Z', model: 'gpt-4o', usage: { input_tokens: 10, output_tokens: 2 }, latency_ms: 100, ...fields });
    const cases: [string, Rec[], RegExp][] = [
      ['a negative cost', [call({ cost_usd: 0.5 }), call({ cost_usd: -0.25, ts: '2026-03-02T10:00:00.000Z' })], /negative/],
      ['a huge cost', [call({ cost_usd: 1e12 })], /2\^32/],
      ['fractional tokens', [call({ usage: { input_tokens: 10.5, output_tokens: 2 } })], /not integers/],
    ];
    for (const [what, records, reason] of cases) {
      it(`(${what})`, async () => {
        const { db, store } = await loadRecords(records);
        try {
          const state = rollupState(db)!;
          assert.equal(state.usable, false);
          assert.match(state.reason, reason);
          assert.equal(rollupsUsable(db), false);
          const plan = chartPlan(store, {}, 'day');
          assert.equal(plan.path, 'scan');
          if (plan.path === 'scan') assert.match(plan.reason, reason);
          assert.deepEqual(store.query("SELECT value FROM rollup.info WHERE key = 'usable'").rows, [[0]]);
          assert.deepEqual(store.query("SELECT count(*) FROM rollup.sqlite_master WHERE name = 'calls_daily'").rows, [[0]], 'the tables are dropped');
          assert.ok(chartData(store, {}, 'model', 'day').series.length > 0);
        } finally {
          db.close();
        }
      });
    }

    it('(a latency that is not a number), and are usable again once rebuilt from good data', async () => {
      const { db, store } = await loadRecords([call({ cost_usd: 0.1 }), call({ cost_usd: 0.2, ts: '2026-03-02T10:00:00.000Z' })]);
      try {
        assert.equal(rollupState(db)!.usable, true);
        db.run("UPDATE events SET latency_ms = 'slow' WHERE rowid = 1");
        buildRollups(db);
        assert.equal(rollupState(db)!.usable, false);
        assert.match(rollupState(db)!.reason, /latencies of gpt-4o/);
        db.run('UPDATE events SET latency_ms = 250 WHERE rowid = 1');
        buildRollups(db);
        assert.equal(rollupState(db)!.usable, true, rollupState(db)!.reason);
        assert.deepEqual(store.query('SELECT model, calls, p50, p99 FROM rollup.latency').rows, [['gpt-4o', 2, 100, 250]]);
        assertSameCharts(store, {}, 'model', 'day');
      } finally {
        db.close();
      }
    });
  });

  describe('exact parts', () => {
    /** The correctly rounded sum of doubles (Shewchuk's exact partials, as Python's math.fsum). */
    function fsum(values: number[]): number {
      const partials: number[] = [];
      for (let x of values) {
        let i = 0;
        for (let y of partials) {
          if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
          const hi = x + y;
          const lo = y - (hi - x);
          if (lo !== 0) partials[i++] = lo;
          x = hi;
        }
        partials.length = i;
        partials.push(x);
      }
      let n = partials.length - 1;
      let hi = 0;
      let lo = 0;
      if (n >= 0) {
        hi = partials[n];
        while (n > 0) {
          const x = hi;
          const y = partials[--n];
          hi = x + y;
          const yr = hi - x;
          lo = y - yr;
          if (lo !== 0) break;
        }
        if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
          const y = lo * 2;
          const x = hi + y;
          if (y === x - hi) hi = x;
        }
      }
      return hi;
    }

    it('split every cost so that the parts of any groups add up to the correctly rounded total', async () => {
      const rng = new Random(99);
      const costs = Array.from({ length: 3000 }, () => (rng.chance(0.1) ? rng.int(1, 999) / 1e9 : rng.int(1, 99_999_999) / 7_000_000_003 + rng.int(0, 40) / 3));
      const records = costs.map((c, i) => ({ schema: 'auditlens/1', type: 'llm.call', ts: new Date(START + (i % 97) * DAY + i * 1000).toISOString(), model: `m${i % 7}`, environment: `e${i % 3}`, user_id: `u${i % 11}`, cost_usd: c, usage: { input_tokens: 1, output_tokens: 1 } }));
      const { db, store } = await loadRecords(records);
      try {
        const total = fsum(costs);
        const [h1, h2, l] = store.query('SELECT sum(cost_h1), sum(cost_h2), sum(cost_l) FROM rollup.call_groups').rows[0] as number[];
        assert.equal(combineCost(h1, h2, l), total);
        assert.equal(store.query("SELECT sum(cost) FROM events WHERE kind = 'llm'").rows[0][0], total, "SQLite's sum() is correctly rounded here too");
        // The naive sum of the per-group sums is not.
        const groupSums = store.query('SELECT sum(cost_h1) + sum(cost_h2) + sum(cost_l) FROM rollup.call_groups GROUP BY rowid').rows.map((r) => r[0] as number);
        assert.notEqual(groupSums.reduce((a, b) => a + b, 0), total);
        // Per user (in any grouping): the parts of the groups add up to the exact total of the user's costs.
        for (const [user, uh1, uh2, ul] of store.query('SELECT user_id, sum(cost_h1), sum(cost_h2), sum(cost_l) FROM rollup.call_groups GROUP BY user_id').rows) {
          const mine = costs.filter((_, i) => `u${i % 11}` === user);
          assert.equal(combineCost(uh1 as number, uh2 as number, ul as number), fsum(mine), String(user));
        }
      } finally {
        db.close();
      }
    });

    it('nearest-rank percentiles as the charts define them', () => {
      assert.deepEqual(latencySummary([5, 500, 50]), { calls: 3, p50: 50, p95: 500, p99: 500 });
      const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
      assert.deepEqual(latencySummary(hundred), { calls: 100, p50: 50, p95: 95, p99: 99 });
      assert.equal(nearestRank([], 50), 0);
      assert.equal(nearestRank([7], 99), 7);
    });
  });

  describe('in the query console', () => {
    let db: Database;
    let store: EventStore;
    before(async () => {
      ({ db, store } = await loadFiles([sample]));
    });
    after(() => db.close());

    it('are readable with read-only SQL, and not writable', () => {
      const calls = runReadOnly(store, "SELECT count(*) FROM events WHERE kind IN ('llm', 'embedding') AND ts IS NOT NULL").rows[0][0];
      assert.deepEqual(runReadOnly(store, 'SELECT sum(calls) FROM rollup.calls_daily').rows, [[calls]]);
      assert.deepEqual(runReadOnly(store, "SELECT value FROM rollup.info WHERE key = 'usable'").rows, [[1]]);
      assert.equal(runReadOnly(store, 'SELECT * FROM rollup.latency').rows.length, 3);
      for (const sql of ['DELETE FROM rollup.calls_daily', "UPDATE rollup.info SET value = 0 WHERE key = 'usable'", 'DROP TABLE rollup.latency', 'DETACH DATABASE rollup']) {
        assert.throws(() => runReadOnly(store, sql), QueryRefusedError, sql);
      }
      assert.equal(rollupsUsable(db), true);
    });

    it('do not change the schema browser, which lists the normalized tables', () => {
      assert.deepEqual(schemaInfo(store).map((t) => `${t.schema}.${t.name}`), ['main.chunks', 'main.events', 'main.files', 'main.sessions', 'main.skipped_lines']);
    });
  });
});
