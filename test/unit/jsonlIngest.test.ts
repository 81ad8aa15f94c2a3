import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestJsonl, parseLine, UnsupportedFormatError } from '../../src/core/ingest/jsonlIngest';
import type { SkippedLine } from '../../src/shared/protocol';
import type { RecordRow } from '../../src/core/model/auditRecord';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

async function ingest(file: string) {
  const rows: RecordRow[] = [];
  const skipped: SkippedLine[] = [];
  const counts = await ingestJsonl(file, path.basename(file), { record: (r) => rows.push(r), skipped: (s) => skipped.push(s) });
  return { rows, skipped, counts };
}

function tmp(name: string, content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-unit-')), name);
  fs.writeFileSync(file, content);
  return file;
}

describe('ingestJsonl', () => {
  it('keeps every valid record next to malformed ones and lists each malformed line with its number and reason', async () => {
    const { rows, skipped, counts } = await ingest(path.join(fixtures, 'malformed.jsonl'));
    assert.deepEqual(counts, { lines: 7, blankLines: 1, records: 4, skipped: 2 });
    assert.deepEqual(rows.map((r) => r.line), [1, 2, 4, 7]);
    assert.deepEqual(skipped.map((s) => s.line), [3, 6]);
    assert.match(skipped[0].reason, /^invalid JSON: /);
    assert.equal(skipped[1].reason, 'not a JSON object (found an array)');
    assert.equal(counts.lines, counts.records + counts.skipped + counts.blankLines);
  });

  it('records where each row came from, so the exact line can be revealed', async () => {
    const file = path.join(fixtures, 'malformed.jsonl');
    const bytes = fs.readFileSync(file);
    const { rows } = await ingest(file);
    for (const r of rows) {
      const text = bytes.subarray(r.byteOffset, r.byteOffset + r.byteLength).toString('utf8');
      assert.equal(JSON.parse(text).id, r.id);
    }
  });

  it('refuses a JSON array and CSV with a message naming the file and line', async () => {
    await assert.rejects(ingest(path.join(fixtures, 'array.json')), (err: Error) => {
      assert.ok(err instanceof UnsupportedFormatError);
      assert.match(err.message, /^array\.json, line 1: this file is a JSON array/);
      return true;
    });
    const csv = tmp('export.csv', '\nts,type,model\n2026-01-01,llm.call,gpt\n');
    await assert.rejects(ingest(csv), /^Error: export\.csv, line 2: this looks like CSV/);
  });

  it('treats scalars and null as skipped lines, not records', () => {
    assert.deepEqual(parseLine('42'), { ok: false, reason: 'not a JSON object (found a number)' });
    assert.deepEqual(parseLine('null'), { ok: false, reason: 'not a JSON object (found null)' });
    assert.equal(parseLine('{"a":1}').ok, true);
  });
});
