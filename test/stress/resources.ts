// Resource tests: hostile exports sized to hurt (a 200 MB / 1 GB single line, a 1 MB gzip bomb that inflates to
// 1 GiB, a million / ten million tiny lines, a file truncated and appended to while it is read, a load cancelled
// half-way). Each must end promptly, with bounded memory (process RSS growth under 200 MiB) and with counts and
// reasons that say what happened.
//
// Run as part of the unit tests (test/unit/hostileStress.test.ts imports this file). The heaviest variants run only
// with AUDITLENS_STRESS=1 (they show as pending otherwise): the 1 GB line, ten million lines, a million records
// through the store. See docs/security.md, "Resource limits".
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { readCsv } from '../../src/core/ingest/csvReader';
import { readJsonArray } from '../../src/core/ingest/jsonArrayReader';
import { readJsonDocument } from '../../src/core/ingest/jsonDocumentReader';
import { readJsonl } from '../../src/core/ingest/jsonlReader';
import { DEFAULT_MAX_LINE_BYTES, GZIP_MAX_RATIO, GZIP_RATIO_FLOOR_BYTES } from '../../src/core/ingest/lineReader';
import type { ReadEvent, RecordReader } from '../../src/core/ingest/readerTypes';
import { DEFAULT_SKIPPED_STORED, loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { DbClient } from '../../src/host/dbClient';
import type { LoadProgress } from '../../src/shared/protocol';
import { GiB, MiB, RssSampler, STRESS, cachedGzipBomb, countAll, mb, measured, readAll, removeFile, tmpPath, writeHugeFile, writeRepeatedLines } from './support';

const repo = path.resolve(__dirname, '..', '..', '..');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const builtWorker = path.join(repo, 'dist', 'dbWorker.js');

/** The most the process RSS may grow while one hostile file is read. */
const RSS_BUDGET = 200 * MiB;
/** `it` when AUDITLENS_STRESS=1, else a pending test (listed, not run). */
type Runner = (title: string, fn: () => Promise<void>) => unknown;
const itStress: Runner = STRESS ? it : it.skip;
const stressNote = STRESS ? '' : ' (AUDITLENS_STRESS=1)';

/**
 * A test whose memory is measured in a fresh process: in a long mocha run the heap V8 has already grown (and its
 * appetite after other tests' garbage) makes the RSS of a test that churns through millions of events say more about
 * what ran before than about the reader. The parent runs this same bundle again with mocha, for this one test.
 */
function isolated(runner: Runner, title: string, fn: () => Promise<void>): void {
  const inChild = process.env.AUDITLENS_ISOLATED;
  if (inChild !== undefined) {
    if (inChild === title) runner(title, fn);
    return;
  }
  runner(title, async () => {
    const mocha = path.join(repo, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const grep = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, ['--expose-gc', mocha, '--reporter', 'dot', '--timeout', '0', '--grep', `${grep}$`, '--', __filename], {
        env: { ...process.env, AUDITLENS_ISOLATED: title }, maxBuffer: 16 * MiB,
      }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr }));
    });
    for (const line of result.out.split('\n')) if (line.includes('[measured]')) console.log(line);
    assert.equal(result.code, 0, `in a child process:\n${result.out}`);
    assert.match(result.out, /1 passing/, `the child ran the test:\n${result.out}`);
  });
}

const rec = (n: number) => JSON.stringify({ schema: 'auditlens/1', seq: n, id: `r${n}`, ts: '2026-11-02T08:00:00.000Z', type: 'llm.call', model: 'gpt-4o-mini' });
const brief = (events: ReadEvent[]) => events.map((e) => [e.kind, e.loc.line, e.kind === 'value' ? (e.value as { seq?: number }).seq : undefined]);

/** Rejects when `promise` takes longer than `ms`: a hang fails the test with a message instead of a mocha timeout. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ------------------------------------------------------------------------------------------------ one huge line

/** A record, then one value of `size` bytes (an "x" string inside it), then a record, in each container format. */
const HUGE_LAYOUTS: { name: string; reader: RecordReader; ext: string; before: string; after: string; expected: unknown[] }[] = [
  { name: 'JSON Lines', reader: readJsonl, ext: 'jsonl', before: `${rec(1)}\n{"big":"`, after: `"}\n${rec(3)}\n`, expected: [['value', 1, 1], ['skip', 2, undefined], ['value', 3, 3]] },
  { name: 'JSON array', reader: readJsonArray, ext: 'json', before: `[${rec(1)},\n{"big":"`, after: `"},\n${rec(3)}]`, expected: [['value', 1, 1], ['skip', 2, undefined], ['value', 3, 3]] },
  {
    name: 'CSV',
    reader: readCsv,
    ext: 'csv',
    before: 'schema,seq,big\nauditlens/1,1,x\nauditlens/1,2,"',
    after: '"\nauditlens/1,3,y\n',
    expected: [['value', 2, 1], ['skip', 3, undefined], ['value', 4, 3]],
  },
];

function hugeLineSuite(size: number, runner: Runner): void {
  for (const layout of HUGE_LAYOUTS) {
    runner(`${layout.name}: a ${mb(size)} value is skipped as oversize with RSS growth under ${mb(RSS_BUDGET)}, and the record after it is read${size > 256 * MiB ? stressNote : ''}`, async () => {
      const file = tmpPath(`huge.${layout.ext}`);
      writeHugeFile(file, layout.before, size, 0x78, layout.after);
      try {
        const rss = new RssSampler();
        const started = Date.now();
        const events = await readAll(layout.reader, file);
        const growth = rss.stop();
        measured(`${layout.name}, one ${mb(size)} value`, growth, Date.now() - started);
        assert.deepEqual(brief(events), layout.expected);
        const skip = events[1] as Extract<ReadEvent, { kind: 'skip' }>;
        assert.match(skip.reason, new RegExp(`over the limit of ${DEFAULT_MAX_LINE_BYTES} bytes per value`));
        assert.ok(skip.loc.byteLength >= size, `the skip spans the value (${skip.loc.byteLength} bytes)`);
        assert.ok(growth < RSS_BUDGET, `RSS grew by ${mb(growth)} reading a ${mb(size)} value (${Date.now() - started} ms)`);
      } finally {
        removeFile(file);
      }
    });
  }
}

describe('resources: a single huge line', function () {
  this.timeout(240_000);
  hugeLineSuite(200 * MiB, it);
  hugeLineSuite(GiB, itStress);

  it('through the load pipeline: the 200 MB line is one skipped line, its neighbours are records', async () => {
    const file = tmpPath('huge-load.jsonl');
    writeHugeFile(file, `${rec(1)}\n{"big":"`, 200 * MiB, 0x78, `"}\n${rec(3)}\n`);
    try {
      const db = await openDatabase(wasm);
      const rss = new RssSampler();
      const started = Date.now();
      const { summary } = await loadSources(db, [file]);
      const growth = rss.stop();
      measured('load pipeline, one 200 MiB line', growth, Date.now() - started);
      assert.equal(summary.records, 2);
      assert.equal(summary.skipped, 1);
      assert.equal(summary.skippedLines[0].line, 2);
      assert.ok(growth < RSS_BUDGET, `RSS grew by ${mb(growth)}`);
      db.close();
    } finally {
      removeFile(file);
    }
  });
});

// ------------------------------------------------------------------------------------------------ gzip bomb

describe('resources: a gzip bomb (1 MiB inflating to 1 GiB)', function () {
  this.timeout(120_000);
  const bombs = { zeros: '', newlines: '', array: '' };
  before(async () => {
    bombs.zeros = await cachedGzipBomb('zeros.jsonl.gz', GiB, 0x00);
    bombs.newlines = await cachedGzipBomb('newlines.jsonl.gz', GiB, 0x0a);
    bombs.array = await cachedGzipBomb('zeros.json.gz', GiB, 0x20, '['); // "[" then a gigabyte of spaces: an array that never ends
    const sizes = Object.values(bombs).map((f) => fs.statSync(f).size);
    assert.ok(sizes.every((s) => s < 2 * MiB), `the bombs are small: ${sizes.join(', ')} bytes`);
  });

  const READERS: [string, RecordReader, keyof typeof bombs][] = [
    ['JSON Lines', readJsonl, 'zeros'],
    ['JSON array', readJsonArray, 'array'],
    ['CSV', readCsv, 'zeros'],
    ['JSON document', readJsonDocument, 'zeros'],
  ];
  for (const [name, reader, bomb] of READERS) {
    it(`${name}: stops within seconds, without holding it in memory, with a skip naming the file and why`, async () => {
      const rss = new RssSampler();
      const started = Date.now();
      const counts = await within(20_000, 'reading the bomb', countAll(reader, bombs[bomb], undefined, rss));
      const ms = Date.now() - started;
      const growth = rss.stop();
      measured(`${name}, gzip bomb`, growth, ms);
      const last = counts.skips[counts.skips.length - 1] as Extract<ReadEvent, { kind: 'skip' }>;
      assert.ok(last, 'a skip');
      assert.match(last.reason, new RegExp(`^${path.basename(bombs[bomb]).replace(/\./g, '\\.')}: the gzip content expands to over \\d+ bytes from \\d+ compressed bytes`));
      assert.match(last.reason, new RegExp(`more than ${GZIP_MAX_RATIO} times its compressed size \\(a decompression bomb\\?\\); reading stopped`));
      assert.ok(last.loc.byteOffset + last.loc.byteLength <= GZIP_RATIO_FLOOR_BYTES + 2 * MiB, `stopped early: ${last.loc.byteOffset + last.loc.byteLength} bytes read`);
      assert.ok(ms < 10_000, `stopped after ${ms} ms`);
      assert.ok(growth < RSS_BUDGET, `RSS grew by ${mb(growth)}`);
    });
  }

  isolated(it, 'a bomb of newlines through the load pipeline: the blank lines before the stop are counted, then the skip', async () => {
    const db = await openDatabase(wasm);
    const rss = new RssSampler();
    const started = Date.now();
    const { summary } = await within(60_000, 'loading the bomb', loadSources(db, [bombs.newlines]));
    const growth = rss.stop();
    measured('load pipeline, gzip bomb of newlines', growth, Date.now() - started);
    assert.equal(summary.records, 0);
    assert.equal(summary.skipped, 1);
    assert.ok(summary.blankLines >= GZIP_RATIO_FLOOR_BYTES && summary.blankLines < GZIP_RATIO_FLOOR_BYTES + 4 * MiB, `${summary.blankLines} blank lines`);
    assert.match(summary.skippedLines[0].reason, /newlines\.jsonl\.gz: .*decompression bomb/);
    assert.ok(growth < RSS_BUDGET, `RSS grew by ${mb(growth)}`);
    assert.ok(Date.now() - started < 30_000);
    db.close();
  });

  it('a well-compressed but honest file under the floor is read whole', async () => {
    const file = tmpPath('honest.jsonl.gz');
    fs.writeFileSync(file, zlib.gzipSync(Buffer.from('{}\n'.repeat(1_000_000)))); // 3 MB at ~1000:1, under the floor
    const counts = await countAll(readJsonl, file);
    assert.deepEqual([counts.value, counts.skip], [1_000_000, 0]);
  });
});

// ------------------------------------------------------------------------------------------------ many tiny lines

function tinyLinesSuite(n: number, runner: Runner): void {
  const note = n > 1_000_000 ? stressNote : '';
  isolated(runner, `${n.toLocaleString('en')} lines of {}: counted exactly, RSS growth under ${mb(RSS_BUDGET)}${note}`, async () => {
    const file = tmpPath('tiny.jsonl');
    writeRepeatedLines(file, '{}\n', n);
    try {
      const rss = new RssSampler();
      const started = Date.now();
      const counts = await countAll(readJsonl, file, undefined, rss);
      const growth = rss.stop();
      measured(`${n} lines of {}`, growth, Date.now() - started);
      assert.deepEqual([counts.value, counts.skip, counts.blank, counts.lastLine], [n, 0, 0, n]);
      assert.ok(growth < RSS_BUDGET, `RSS grew by ${mb(growth)}`);
    } finally {
      removeFile(file);
    }
  });

  isolated(runner, `${n.toLocaleString('en')} bad lines through the load pipeline: every one counted, ${DEFAULT_SKIPPED_STORED} stored, RSS growth under ${mb(RSS_BUDGET)}${note}`, async () => {
    const file = tmpPath('bad.jsonl');
    writeRepeatedLines(file, 'x\n', n);
    try {
      const db = await openDatabase(wasm);
      const rss = new RssSampler();
      const started = Date.now();
      // Sampled after a full GC: what the pipeline holds. Without it the figure is V8's choice of when to collect
      // the garbage of a million skipped lines (measured here: 40-240 MiB of a heap whose live part stays under 40).
      const gc = (globalThis as { gc?: () => void }).gc;
      const { summary, store } = await loadSources(db, [file], { onProgress: () => { gc?.(); rss.sample(); }, progressEveryMs: 50 });
      const growth = rss.stop();
      measured(`load pipeline, ${n} bad lines`, growth, Date.now() - started);
      assert.deepEqual([summary.records, summary.skipped, summary.lines], [0, n, n]);
      assert.deepEqual(store.query('SELECT count(*) FROM skipped_lines').rows, [[DEFAULT_SKIPPED_STORED]]);
      const [[pages, pageSize]] = store.query('SELECT page_count, page_size FROM pragma_page_count, pragma_page_size').rows as number[][];
      const dbBytes = pages * pageSize;
      assert.ok(dbBytes < 4 * MiB, `the database stays small: ${mb(dbBytes)}`);
      assert.ok(growth < RSS_BUDGET, `RSS grew by ${mb(growth)}`);
      db.close();
    } finally {
      removeFile(file);
    }
  });
}

describe('resources: millions of tiny lines', function () {
  this.timeout(600_000);
  tinyLinesSuite(1_000_000, it);
  tinyLinesSuite(10_000_000, itStress);

  itStress(`1,000,000 records through the store: every one an event, the counts exact${stressNote}`, async () => {
    const file = tmpPath('records.jsonl');
    writeRepeatedLines(file, '{"schema":"auditlens/1","type":"llm.call","model":"gpt-4o-mini","usage":{"input_tokens":1,"output_tokens":2}}\n', 1_000_000);
    try {
      const db = await openDatabase(wasm);
      const { summary } = await loadSources(db, [file]);
      assert.deepEqual([summary.records, summary.events, summary.inputTokens, summary.outputTokens], [1_000_000, 1_000_000, 1_000_000, 2_000_000]);
      db.close();
    } finally {
      removeFile(file);
    }
  });
});

// ------------------------------------------------------------------------------------------------ changing files

/** Truncates the file and appends to it from timers while `read` runs; the read must end on its own. */
async function readWhileChanging(file: string, read: () => Promise<ReadEvent[]>, append: string): Promise<ReadEvent[] | Error> {
  const timers: NodeJS.Timeout[] = [];
  timers.push(setTimeout(() => fs.truncateSync(file, 64 * 1024), 5));
  timers.push(setInterval(() => fs.appendFileSync(file, append), 1));
  timers.push(setTimeout(() => fs.truncateSync(file, 1024), 40));
  try {
    return await within(20_000, 'reading a changing file', read().catch((err: Error) => err));
  } finally {
    timers.forEach((t) => clearInterval(t));
  }
}

describe('resources: a file that changes while it is read', function () {
  this.timeout(60_000);
  const lines = Array.from({ length: 200_000 }, (_, i) => rec(i + 1)).join('\n') + '\n';

  const CASES: { name: string; reader: RecordReader; content: () => Buffer; append: string }[] = [
    { name: 'JSON Lines', reader: readJsonl, content: () => Buffer.from(lines), append: rec(0) + '\n' },
    { name: 'JSON array', reader: readJsonArray, content: () => Buffer.from('[' + lines.replace(/\n(?=.)/g, ',\n') + ']'), append: ',' + rec(0) },
    { name: 'CSV', reader: readCsv, content: () => Buffer.from('a,b\n' + '1,"x,y"\n'.repeat(400_000)), append: '2,z\n' },
    { name: 'JSON Lines, gzip', reader: readJsonl, content: () => zlib.gzipSync(lines, { level: 1 }), append: 'junk' },
  ];
  for (const c of CASES) {
    it(`${c.name}: truncated and appended to mid-read, the read ends (or fails with a message), never hangs`, async () => {
      const file = tmpPath('changing.bin');
      fs.writeFileSync(file, c.content());
      const result = await readWhileChanging(file, () => readAll(c.reader, file, { chunkBytes: 16 * 1024 }), c.append);
      if (result instanceof Error) {
        assert.ok(result.message.length > 0);
        return;
      }
      let prev = 0;
      for (const ev of result) {
        assert.ok(ev.loc.line >= prev, 'lines never go back');
        prev = ev.loc.line;
      }
      const gzipSkip = result.findIndex((e) => e.kind === 'skip' && /gzip/.test(e.reason));
      assert.ok(gzipSkip === -1 || gzipSkip === result.length - 1, 'a gzip failure is the last event');
    });
  }

  it('through the load pipeline: a summary whatever the file became', async () => {
    const file = tmpPath('changing.jsonl');
    fs.writeFileSync(file, lines);
    const db = await openDatabase(wasm);
    const timers = [setTimeout(() => fs.truncateSync(file, 100_000), 5), setInterval(() => fs.appendFileSync(file, rec(0) + '\n'), 1)];
    try {
      const { summary } = await within(20_000, 'loading a changing file', loadSources(db, [file], { chunkBytes: 16 * 1024 }));
      assert.equal(summary.lines, summary.records + summary.skipped + summary.blankLines);
    } finally {
      timers.forEach((t) => clearInterval(t));
      db.close();
    }
  });
});

// ------------------------------------------------------------------------------------------------ the worker

describe('resources: the database worker (built bundle dist/dbWorker.js)', function () {
  this.timeout(120_000);
  before(function () {
    if (!fs.existsSync(builtWorker)) throw new Error(`${builtWorker} is missing: run "node esbuild.mjs" first`);
  });

  it('dispose() during a large load stops the worker within a second and fails the load with "cancelled"', async () => {
    const sample = fs.readFileSync(path.join(repo, 'samples', 'sample.audit.jsonl'));
    const file = tmpPath('large.jsonl');
    const fd = fs.openSync(file, 'w');
    for (let i = 0; i < 400; i++) fs.writeSync(fd, sample); // ~60 MB: loading it takes far longer than this test waits
    fs.closeSync(fd);
    const client = new DbClient(builtWorker);
    let firstProgress: (p: LoadProgress) => void = () => {};
    const progressed = new Promise<LoadProgress>((resolve) => (firstProgress = resolve));
    const load = client.request({ kind: 'load', paths: [file] }, (p) => {
      if (p.records > 0) firstProgress(p);
    });
    const loadFailed = assert.rejects(load, /cancelled/);
    const p = await within(30_000, 'the first progress report', progressed);
    assert.ok(p.bytesRead < p.totalBytes, 'the load is under way');
    const started = Date.now();
    await client.dispose();
    const ms = Date.now() - started;
    await loadFailed;
    assert.ok(ms < 1000, `the worker stopped in ${ms} ms`);
    await assert.rejects(client.request({ kind: 'summary' }), /cancelled/);
    removeFile(file);
  });
});
