// Loading on two threads (the parse worker packs rows, the database worker stores them) gives exactly the database
// and the summary that loading on one thread gives: every table compared row by row, over the project's sample, the
// OTLP traces+logs pair (merged at finish), Langfuse ingestion (create + updates merged), OpenAI Batch input+output,
// gzip, CSV, malformed lines and a file of hostile values.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { withOverrides } from '../../src/core/pricing/pricing';
import { loadSourcesParallel, type ParallelTuning } from '../../src/worker/parallelLoad';
import type { LoadProgress, LoadSummary } from '../../src/shared/protocol';
import type { EventStore } from '../../src/core/store/eventStore';

const repo = path.resolve(__dirname, '..', '..', '..');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const parseWorker = path.join(repo, 'dist', 'parseWorker.js');
const fx = (...p: string[]) => path.join(repo, 'test', 'fixtures', ...p);

const TABLES = ['files', 'events', 'chunks', 'skipped_lines', 'sessions'];

function dump(store: EventStore): Record<string, unknown[][]> {
  const out: Record<string, unknown[][]> = {};
  for (const t of TABLES) out[t] = store.query(`SELECT * FROM ${t} ORDER BY 1, 2`).rows;
  return out;
}

const comparable = (s: LoadSummary) => ({ ...s, elapsedMs: 0 });

async function both(paths: string[], options: Parameters<typeof loadSources>[2] = {}, tuning: ParallelTuning = {}) {
  const one = await loadSources(await openDatabase(wasm), paths, options);
  const progress: LoadProgress[] = [];
  const two = await loadSourcesParallel(await openDatabase(wasm), paths, { ...options, onProgress: (p) => progress.push(p), progressEveryMs: 0 }, parseWorker, tuning);
  return { one, two, progress };
}

/** Several parse workers sharing one file in small blocks (the path big exports take). */
const split = (workers: number, blockBytes: number): ParallelTuning => ({ workers, blockBytes, minSplitBytes: 0 });

describe('loading on two threads (parse worker + database worker)', function () {
  this.timeout(60_000);

  before(() => assert.ok(fs.existsSync(parseWorker), `${parseWorker} is built by esbuild.mjs`));

  const cases: [string, string[]][] = [
    ['the sample', [path.join(repo, 'samples', 'sample.audit.jsonl')]],
    ['OTLP traces and logs together', [fx('otel', 'traces.otlp.jsonl'), fx('otel', 'logs.otlp.jsonl')]],
    ['Langfuse ingestion bodies', [fx('langfuse', 'ingestion.jsonl')]],
    ['OpenAI Batch input and output', [fx('openai-batch', 'batch_input.jsonl'), fx('openai-batch', 'batch_output.jsonl')]],
    ['gzip (Bedrock)', [fx('bedrock', 'model-invocations.json.gz')]],
    ['CSV', [fx('sample.audit.csv')]],
    ['a JSON array', [fx('array.json')]],
    ['malformed lines', [fx('malformed.jsonl')]],
  ];
  for (const [name, paths] of cases) {
    it(`stores the same rows and sums up the same: ${name}`, async () => {
      const { one, two } = await both(paths);
      assert.ok(one.summary.events > 0 || one.summary.skipped > 0, 'the fixture loads something');
      assert.deepEqual(dump(two.store), dump(one.store));
      assert.deepEqual(comparable(two.summary), comparable(one.summary));
    });
  }

  const blockCases: [string, string, ParallelTuning][] = [
    ['the sample, 2 workers, 4 KiB blocks', path.join(repo, 'samples', 'sample.audit.jsonl'), split(2, 4096)],
    ['the sample, 3 workers, 1 KiB blocks (most lines span blocks)', path.join(repo, 'samples', 'sample.audit.jsonl'), split(3, 1024)],
    ['malformed lines, 2 workers, 64-byte blocks', fx('malformed.jsonl'), split(2, 64)],
    ['Langfuse ingestion (merged at finish), 2 workers, 2 KiB blocks', fx('langfuse', 'ingestion.jsonl'), split(2, 2048)],
    ['OTLP traces, 2 workers, 3 KiB blocks', fx('otel', 'traces.otlp.jsonl'), split(2, 3000)],
  ];
  for (const [name, file, tuning] of blockCases) {
    it(`stores the same rows when parse workers share the file in blocks: ${name}`, async () => {
      const { one, two } = await both([file], {}, tuning);
      assert.ok(one.summary.events > 0 || one.summary.skipped > 0, 'the fixture loads something');
      assert.deepEqual(dump(two.store), dump(one.store));
      assert.deepEqual(comparable(two.summary), comparable(one.summary));
    });
  }

  it('splits at every kind of line boundary: blank lines, CRLF, a line longer than a block, no newline at the end, a BOM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-blocks-'));
    const file = path.join(dir, 'edges.jsonl');
    const rec = (i: number, pad = 0) => JSON.stringify({ schema: 'auditlens/1', id: `e${i}`, type: 'llm.call', ts: '2026-01-01T00:00:00.000Z', model: 'gpt-4o-mini', messages: [{ role: 'user', content: `ü${'y'.repeat(pad)}` }] });
    const text = '\uFEFF' + rec(0) + '\n\n' + rec(1) + '\r\n' + '   \n' + rec(2, 5000) + '\n' + 'not json\n' + Array.from({ length: 40 }, (_, i) => rec(3 + i, i * 7)).join('\n') + '\n\n' + rec(99);
    fs.writeFileSync(file, text);
    try {
      for (const tuning of [split(2, 1), split(2, 100), split(3, 333), split(4, 4096), split(2, 1 << 20)]) {
        const { one, two } = await both([file], {}, tuning);
        assert.equal(one.summary.events, 44);
        assert.deepEqual(dump(two.store), dump(one.store), `blocks of ${tuning.blockBytes} bytes`);
        assert.deepEqual(comparable(two.summary), comparable(one.summary), `blocks of ${tuning.blockBytes} bytes`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the first skipped lines in file order when workers each skip many', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-blocks-'));
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, Array.from({ length: 3000 }, (_, i) => (i % 3 ? `bad ${i}` : JSON.stringify({ schema: 'auditlens/1', id: `r${i}`, type: 'note' }))).join('\n') + '\n');
    try {
      const { one, two } = await both([file], { maxSkippedStored: 500, maxSkippedListed: 100 }, split(2, 512));
      assert.equal(two.summary.skipped, 2000);
      assert.deepEqual(two.store.query('SELECT count(*), min(line), max(line) FROM skipped_lines').rows, one.store.query('SELECT count(*), min(line), max(line) FROM skipped_lines').rows);
      assert.deepEqual(dump(two.store), dump(one.store));
      assert.deepEqual(comparable(two.summary), comparable(one.summary));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prices on the parse worker with the overrides the user set', async () => {
    const prices = withOverrides({ 'gpt-4o-mini': { input: 100, output: 200 } });
    const { one, two } = await both([fx('otel', 'traces.otlp.jsonl')], { prices });
    const cost = (s: EventStore) => s.query("SELECT sum(cost), count(*) FROM events WHERE price_key = 'gpt-4o-mini' AND cost_source = 'priced'").rows[0];
    assert.deepEqual(cost(two.store), cost(one.store));
    assert.equal(two.summary.costUsd, one.summary.costUsd);
    assert.ok((cost(two.store)[1] as number) > 0, 'the fixture has gpt-4o-mini calls without a logged cost');
    assert.ok((cost(two.store)[0] as number) > 0.0001, 'priced at the override (100/200 USD per 1M tokens)');
  });

  it('stores thousands of events over many batches, non-ASCII text and numbers past 32 bits included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-parallel-'));
    const file = path.join(dir, 'many.audit.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      lines.push(JSON.stringify({
        schema: 'auditlens/1', id: `evt_${i}`, seq: i * 1_000_003, ts: new Date(Date.UTC(2026, 0, 1) + i * 61_000).toISOString(), type: 'llm.call',
        session_id: `s_${i % 97}`, user_id: `ü_${i % 7}`, model: i % 2 ? 'gpt-4o-mini' : 'claude-sonnet-4',
        usage: { input_tokens: 3_000_000_000 + i, output_tokens: i },
        messages: [{ role: 'user', content: `Grüße 你好 🙂 #${i} ${'x'.repeat(i % 900)}` }], response: { content: 'ok' },
        retrieval: [{ document_id: 'd', chunk_id: `c${i}`, score: i / 5000, text: 'é' }],
      }));
      if (i % 1000 === 17) lines.push('{not json');
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    try {
      const { one, two, progress } = await both([file], { previewRows: 50 }, split(2, 64 * 1024));
      assert.equal(two.summary.events, 5000);
      assert.equal(two.summary.skipped, 5);
      assert.deepEqual(dump(two.store), dump(one.store));
      assert.deepEqual(comparable(two.summary), comparable(one.summary));
      const first = progress.find((p) => p.firstRows);
      assert.ok(first && first.firstRows!.length > 0, 'one progress report carries the first rows');
      const last = progress[progress.length - 1];
      assert.equal(last.bytesRead, last.totalBytes);
      assert.equal(last.events, 5000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the load with the reader\'s message when a file cannot be read', async () => {
    const missing = path.join(os.tmpdir(), 'auditlens-no-such-file.jsonl');
    await assert.rejects(loadSourcesParallel(await openDatabase(wasm), [missing], {}, parseWorker), /ENOENT|no such file/);
  });
});
