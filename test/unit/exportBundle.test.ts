import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Database } from 'sql.js';
import { runFindings } from '../../src/core/findings/runFindings';
import { createEvidenceBundle, verifyBundle, type BundleManifest } from '../../src/core/exporting/evidenceBundle';
import { OutputRefusedError } from '../../src/core/exporting/outputFile';
import { parseCsv } from '../../src/core/exporting/tabular';
import { crc32, readStoredZip } from '../../src/core/exporting/zip';
import type { EventStore } from '../../src/core/store/eventStore';
import { loadFiles, repo, sample, tmpDir } from '../fixtures/findings/build';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const NOW = new Date('2026-11-03T10:00:00.000Z');
const version = (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version;

function listFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(dir, `${rel}${e.name}/`) : [`${rel}${e.name}`])).sort();
}

describe('evidence bundle', () => {
  let db: Database;
  let store: EventStore;
  before(async () => {
    ({ db, store } = await loadFiles([sample]));
  });
  after(() => db.close());

  it('holds the selected raw records, events, findings, attachments, a manifest and SHA256SUMS that verify', async () => {
    const out = path.join(tmpDir(), 'evidence');
    const zipPath = `${out}.zip`;
    const findings = await runFindings(store, null, { rules: ['prompt-injection'] });
    const phases = new Set<string>();
    const res = await createEvidenceBundle(store, {
      outDir: out,
      zipPath,
      selection: { sql: "SELECT rowid FROM events WHERE session_id = ? AND kind = 'llm'", params: ['sess_f1582c4b'] },
      description: 'Injection attempt of 2 November',
      findings,
      attachments: [
        { name: 'integrity-report.md', content: '# Integrity\n\nchain verified\n' },
        { name: '../../redaction summary.txt', content: 'emails 2\n' },
      ],
      now: NOW,
      onProgress: (p) => phases.add(p.phase),
    });
    assert.deepEqual([...phases].sort(), ['events', 'hash', 'records', 'select', 'zip']);
    assert.deepEqual(listFiles(out), [
      'README.md',
      'SHA256SUMS',
      'attachments/integrity-report.md',
      'attachments/redaction_summary.txt',
      'events.csv',
      'findings.json',
      'manifest.json',
      'records/00-sample.audit.jsonl',
      'records/index.csv',
    ]);
    // The raw records, byte for byte (lines 76, 77, 79 of the session's calls).
    const sampleLines = fs.readFileSync(sample, 'utf8').split('\n');
    const llmLines = store.query("SELECT line FROM events WHERE session_id = 'sess_f1582c4b' AND kind = 'llm' ORDER BY line").rows.map((r) => r[0] as number);
    assert.ok(llmLines.includes(77));
    assert.equal(fs.readFileSync(path.join(out, 'records/00-sample.audit.jsonl'), 'utf8'), llmLines.map((l) => `${sampleLines[l - 1]}\n`).join(''));
    assert.equal(res.events, llmLines.length);
    assert.equal(res.records, llmLines.length);
    const index = parseCsv(fs.readFileSync(path.join(out, 'records/index.csv'), 'utf8'));
    assert.deepEqual(index[0], ['record_file', 'file_index', 'source_file', 'line', 'byte_offset', 'byte_length', 'sha256', 'rowids']);
    const raw = fs.readFileSync(sample);
    for (const row of index.slice(1)) {
      const slice = raw.subarray(Number(row[4]), Number(row[4]) + Number(row[5]));
      assert.equal(sha(slice), row[6]);
      assert.equal(slice.toString('utf8'), sampleLines[Number(row[3]) - 1]);
    }
    // Manifest: every hash recomputed.
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    assert.deepEqual(manifest, res.manifest);
    assert.equal(manifest.format, 'ai-audit-lens-evidence/1');
    assert.deepEqual(manifest.tool, { name: 'AI Audit Lens', version });
    assert.equal(manifest.createdAt, NOW.toISOString());
    assert.deepEqual(manifest.selection, {
      description: 'Injection attempt of 2 November',
      kind: 'sql',
      sql: "SELECT rowid FROM events WHERE session_id = ? AND kind = 'llm'",
      params: ['sess_f1582c4b'],
      includeLinked: true,
      events: llmLines.length,
      records: llmLines.length,
    });
    assert.deepEqual(manifest.sources, [{ fileIndex: 0, fileName: 'sample.audit.jsonl', path: sample, format: 'jsonl', compressed: false, bytes: raw.length, sha256: sha(raw), records: llmLines.length }]);
    assert.deepEqual(manifest.files.map((f) => f.path), listFiles(out).filter((f) => f !== 'manifest.json' && f !== 'SHA256SUMS'));
    for (const f of manifest.files) {
      const bytes = fs.readFileSync(path.join(out, f.path));
      assert.equal(f.sha256, sha(bytes), f.path);
      assert.equal(f.bytes, bytes.length, f.path);
    }
    assert.deepEqual(manifest.attachments, ['integrity-report.md', 'redaction_summary.txt']);
    assert.equal(manifest.findings, 1);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'findings.json'), 'utf8')), findings);
    assert.equal(parseCsv(fs.readFileSync(path.join(out, 'events.csv'), 'utf8')).length, llmLines.length + 1);
    // SHA256SUMS: `sha256sum -c` format over every file but itself, manifest.json included.
    const sums = fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    assert.ok(sums.endsWith('\n'));
    const entries = sums.trimEnd().split('\n');
    for (const line of entries) assert.match(line, /^[0-9a-f]{64} {2}[^ ].*$/);
    assert.deepEqual(entries.map((l) => l.slice(66)), listFiles(out).filter((f) => f !== 'SHA256SUMS'));
    for (const line of entries) assert.equal(line.slice(0, 64), sha(fs.readFileSync(path.join(out, line.slice(66)))));
    assert.deepEqual(await verifyBundle(out), { ok: true, checked: 8, failures: [] });
    const tool = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    if (!tool.error) assert.equal(tool.status, 0, tool.stdout + tool.stderr);
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    assert.match(readme, /sha256sum -c SHA256SUMS/);
    assert.match(readme, new RegExp(`SHA-256 \`${sha(raw)}\``));
    // The zip holds the same files under the folder's name, stored, with valid CRCs.
    const zip = readStoredZip(fs.readFileSync(zipPath));
    assert.deepEqual([...zip.keys()], listFiles(out).map((f) => `evidence/${f}`));
    for (const [name, content] of zip) assert.deepEqual(content, fs.readFileSync(path.join(out, name.slice('evidence/'.length))));
    assert.equal(res.zip?.sha256, sha(fs.readFileSync(zipPath)));
    // Tampering is detected.
    fs.appendFileSync(path.join(out, 'events.csv'), 'x');
    assert.deepEqual((await verifyBundle(out)).failures, ['events.csv: SHA-256 differs']);
  });

  it('takes the records byte for byte from gzip, CSV and JSON array exports too', async () => {
    const gz = path.join(tmpDir(), 'sample.audit.jsonl.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(sample)));
    const line78 = fs.readFileSync(sample, 'utf8').split('\n')[77];
    const fromGz = await loadFiles([gz]);
    try {
      const out = path.join(tmpDir(), 'b');
      const res = await createEvidenceBundle(fromGz.store, { outDir: out, selection: { filter: { kind: 'security' } }, now: NOW });
      assert.equal(fs.readFileSync(path.join(out, 'records', '00-sample.audit.jsonl'), 'utf8'), `${line78}\n`);
      assert.equal(res.manifest.sources[0].sha256, sha(fs.readFileSync(gz)), 'the source hash is of the file as stored');
      assert.equal(res.manifest.sources[0].compressed, true);
    } finally {
      fromGz.db.close();
    }
    const csvFile = path.join(repo, 'test', 'fixtures', 'sample.audit.csv');
    const fromCsv = await loadFiles([csvFile]);
    try {
      const out = path.join(tmpDir(), 'c');
      const rows = fromCsv.store.query("SELECT rowid, byte_offset, byte_length FROM events WHERE kind = 'system' ORDER BY rowid").rows;
      await createEvidenceBundle(fromCsv.store, { outDir: out, selection: { rowids: rows.map((r) => r[0] as number) }, now: NOW });
      const csvRaw = fs.readFileSync(csvFile);
      const header = csvRaw.subarray(0, csvRaw.indexOf(0x0a) + 1).toString('utf8');
      const newline = header.endsWith('\r\n') ? '\r\n' : '\n';
      const expected = header + rows.map((r) => csvRaw.subarray(r[1] as number, (r[1] as number) + (r[2] as number)).toString('utf8') + newline).join('');
      assert.equal(fs.readFileSync(path.join(out, 'records', '00-sample.audit.csv'), 'utf8'), expected);
    } finally {
      fromCsv.db.close();
    }
    const arrayFile = path.join(repo, 'test', 'fixtures', 'sample.audit.json');
    const fromArray = await loadFiles([arrayFile]);
    try {
      const out = path.join(tmpDir(), 'd');
      await createEvidenceBundle(fromArray.store, { outDir: out, selection: { jsonPath: '$[?(@.latency_ms > 5000)]' }, now: NOW });
      const elements = JSON.parse(fs.readFileSync(path.join(out, 'records', '00-sample.audit.json'), 'utf8')) as { latency_ms: number }[];
      assert.equal(elements.length, 4);
      assert.ok(elements.every((e) => e.latency_ms > 5000));
      assert.ok((await verifyBundle(out)).ok);
    } finally {
      fromArray.db.close();
    }
  });

  it('removes everything when cancelled, at any phase', async () => {
    for (const phase of ['records', 'hash', 'zip']) {
      const dir = tmpDir();
      const out = path.join(dir, 'evidence');
      const ac = new AbortController();
      await assert.rejects(
        createEvidenceBundle(store, {
          outDir: out,
          zipPath: path.join(dir, 'evidence.zip'),
          selection: { filter: {} },
          signal: ac.signal,
          onProgress: (p) => {
            if (p.phase === phase) ac.abort();
          },
        }),
        (err: Error) => err.name === 'AbortError',
        phase,
      );
      assert.deepEqual(fs.readdirSync(dir), [], `nothing left after cancelling in ${phase}`);
    }
  });

  it('refuses a non-empty folder, a zip over the input or inside the bundle, and unknown rowids', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'x'), 'x');
    await assert.rejects(createEvidenceBundle(store, { outDir: dir, selection: { rowids: [1] } }), /is not empty/);
    await assert.rejects(createEvidenceBundle(store, { outDir: path.join(tmpDir(), 'e'), zipPath: sample, selection: { rowids: [1] } }), (err: Error) => err instanceof OutputRefusedError && /is the input export/.test(err.message));
    await assert.rejects(createEvidenceBundle(store, { outDir: path.dirname(sample), selection: { rowids: [1] } }), OutputRefusedError);
    const out = path.join(tmpDir(), 'f');
    await assert.rejects(createEvidenceBundle(store, { outDir: out, zipPath: path.join(out, 'b.zip'), selection: { rowids: [1] } }), /inside the bundle folder/);
    await assert.rejects(createEvidenceBundle(store, { outDir: out, selection: { rowids: [1, 99999] } }), /no event with rowid 99999/);
    await assert.rejects(createEvidenceBundle(store, { outDir: out, selection: { sql: 'SELECT kind FROM events' } }), /must return a column named rowid/);
    await assert.rejects(createEvidenceBundle(store, { outDir: out, selection: { sql: 'DELETE FROM events' } }), /Refused DELETE/);
    assert.equal(fs.existsSync(out), false);
    // An existing empty folder is fine.
    const empty = path.join(tmpDir(), 'empty');
    fs.mkdirSync(empty);
    await createEvidenceBundle(store, { outDir: empty, selection: { rowids: [47] }, includeLinked: false });
    assert.equal(fs.readFileSync(path.join(empty, 'records', '00-sample.audit.jsonl'), 'utf8'), `${fs.readFileSync(sample, 'utf8').split('\n')[46]}\n`);
  });

  it('computes the standard CRC-32', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.from('6789'), crc32(Buffer.from('12345'))), 0xcbf43926);
  });
});
