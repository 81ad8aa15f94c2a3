// The `findings` and `query` subcommands, run through their CliCommand.run with a capturing io.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, type CliIo } from '../../src/cli/command';
import { findingsCommand } from '../../src/cli/commands/findings';
import { queryCommand } from '../../src/cli/commands/query';
import { parseCsv } from '../../src/core/exporting/tabular';
import { llm, repo, sample, tmpDir, writeJsonl } from '../fixtures/findings/build';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    wasmPath: path.join(repo, 'node_modules/sql.js/dist/sql-wasm.wasm'),
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

describe('CLI: audit-lens findings', () => {
  it('exits 1 on the sample (a high-severity injection attempt) and lists it with its line', async () => {
    const io = capture();
    assert.equal(await findingsCommand.run([sample], io), 1);
    const text = io.stdout();
    assert.match(text, /^sample\.audit\.jsonl: 3 findings \(high 1, medium 2\)/);
    assert.match(text, /HIGH {5}prompt-injection {4}sample\.audit\.jsonl:77\n/);
  });

  it('prints JSON, filters by severity, and exits 0 when nothing is high', async () => {
    const io = capture();
    assert.equal(await findingsCommand.run([sample, '--json', '--rules', 'latency-outlier,missing-fields'], io), 0);
    const report = JSON.parse(io.stdout());
    assert.equal(report.summary.total, 2);
    assert.deepEqual(report.findings.map((f: { rule: string }) => f.rule), ['latency-outlier', 'latency-outlier']);
    assert.equal(report.files[0].records, 149);
    const io2 = capture();
    assert.equal(await findingsCommand.run([sample, '--json', '--min-severity', 'high'], io2), 1);
    assert.deepEqual(JSON.parse(io2.stdout()).findings.map((f: { rule: string }) => f.rule), ['prompt-injection']);
  });

  it('applies --retention-days relative to --now', async () => {
    const file = writeJsonl([llm({ ts: '2025-01-01T00:00:00.000Z' }), llm({ ts: '2025-12-30T00:00:00.000Z' })]);
    const io = capture();
    assert.equal(await findingsCommand.run([file, '--json', '--retention-days', '30', '--now', '2026-01-01T00:00:00Z', '--rules', 'retention'], io), 0);
    const f = JSON.parse(io.stdout()).findings;
    assert.equal(f.length, 1);
    assert.deepEqual(f[0].events.map((e: { line: number }) => e.line), [1]);
  });

  it('refuses bad arguments (exit 2 through main) and missing files', async () => {
    await assert.rejects(findingsCommand.run([], capture()), UsageError);
    await assert.rejects(findingsCommand.run([sample, '--retention-days', 'soon'], capture()), UsageError);
    await assert.rejects(findingsCommand.run([sample, '--rules', 'nope'], capture()), UsageError);
    await assert.rejects(findingsCommand.run([sample, '--rules', 'retention'], capture()), /needs --retention-days/);
    await assert.rejects(findingsCommand.run([sample, '--min-severity', 'severe'], capture()), UsageError);
    const io = capture();
    assert.equal(await findingsCommand.run([path.join(tmpDir(), 'missing.jsonl')], io), 2);
    assert.match(io.stderr(), /no such file/);
  });
});

describe('CLI: audit-lens query', () => {
  it('prints CSV by default, JSON and JSON Lines on request', async () => {
    const io = capture();
    assert.equal(await queryCommand.run([sample, '--sql', "SELECT kind, count(*) AS n FROM events WHERE kind IN ('llm', 'security') GROUP BY kind ORDER BY kind"], io), 0);
    assert.equal(io.stdout(), 'kind,n\r\nllm,56\r\nsecurity,1\r\n');
    const json = capture();
    assert.equal(await queryCommand.run([sample, '--sql', 'SELECT rowid, type FROM events WHERE rowid < 3', '--format', 'json'], json), 0);
    assert.deepEqual(JSON.parse(json.stdout()), [{ rowid: 1, type: 'system.document_upload' }, { rowid: 2, type: 'system.document_upload' }]);
    const jsonl = capture();
    assert.equal(await queryCommand.run([sample, '--sql', 'SELECT rowid FROM events WHERE rowid < 3', '--format', 'jsonl'], jsonl), 0);
    assert.equal(jsonl.stdout(), '{"rowid":1}\n{"rowid":2}\n');
  });

  it('refuses writes with exit code 2 and the reason', async () => {
    for (const [sql, what] of [
      ['DELETE FROM events', /Refused DELETE: DELETE removes rows/],
      ['SELECT 1; DROP TABLE events', /Refused multiple statements/],
      ["ATTACH ':memory:' AS x", /Refused ATTACH/],
      ['PRAGMA user_version = 1', /Refused PRAGMA user_version = …/],
    ] as [string, RegExp][]) {
      const io = capture();
      assert.equal(await queryCommand.run([sample, '--sql', sql], io), 2, sql);
      assert.match(io.stderr(), what);
      assert.equal(io.stdout(), '');
    }
  });

  it('caps printed rows, writes all rows with --out, never over an input', async () => {
    const io = capture();
    assert.equal(await queryCommand.run([sample, '--sql', 'SELECT rowid FROM events ORDER BY rowid', '--max-rows', '2'], io), 0);
    assert.equal(io.stdout(), 'rowid\r\n1\r\n2\r\n');
    assert.match(io.stderr(), /truncated at 2 rows/);
    const out = path.join(tmpDir(), 'rows.csv');
    const io2 = capture();
    assert.equal(await queryCommand.run([sample, '--sql', 'SELECT rowid, preview FROM events', '--out', out], io2), 0);
    assert.equal(parseCsv(fs.readFileSync(out, 'utf8')).length, 150);
    const copy = path.join(tmpDir(), 'copy.audit.jsonl');
    fs.copyFileSync(sample, copy);
    const before = fs.readFileSync(copy);
    const io3 = capture();
    assert.equal(await queryCommand.run([copy, '--sql', 'SELECT 1', '--out', copy], io3), 2);
    assert.match(io3.stderr(), /is the input export/);
    assert.deepEqual(fs.readFileSync(copy), before);
  });

  it('filters raw records with --jsonpath and lists the schema', async () => {
    const io = capture();
    assert.equal(await queryCommand.run([sample, '--jsonpath', '$[?(@.latency_ms > 5000)]', '--format', 'jsonl'], io), 0);
    const rows = io.stdout().trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((r) => r.line), [86, 103, 111, 118]);
    assert.equal(rows[0].rowids, '86');
    const hostile = capture();
    assert.equal(await queryCommand.run([sample, '--jsonpath', "$[?(@.constructor.constructor('return process')())]"], hostile), 2);
    assert.match(hostile.stderr(), /Refused: "constructor"/);
    const schema = capture();
    assert.equal(await queryCommand.run([sample, '--schema'], schema), 0);
    assert.match(schema.stdout(), /\r\nevents,table,latency_ms,REAL,0,149\r\n/);
    await assert.rejects(queryCommand.run([sample], capture()), /one of --sql, --jsonpath or --schema/);
    await assert.rejects(queryCommand.run([sample, '--sql', 'SELECT 1', '--format', 'xml'], capture()), UsageError);
  });
});
