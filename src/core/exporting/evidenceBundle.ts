// An evidence bundle for an auditor: a folder (and optionally a .zip of it) holding the selected records exactly as
// they are in the export, the stored fields of their events, the findings and any reports the caller attaches
// (integrity report, redaction summary), a manifest.json with the SHA-256 of every file and of the source exports,
// a SHA256SUMS file for `sha256sum -c`, and a README.md saying how it was made and how to verify it.
//
// Layout (docs/findings.md):
//   README.md
//   manifest.json            tool, time, selection, sources (with SHA-256), every other file with size and SHA-256
//   SHA256SUMS               `sha256sum -c SHA256SUMS` checks every file, manifest.json included
//   records/NN-<name>        the selected records' raw bytes, per source file (JSON Lines: one per line; JSON: an
//                            array of the elements as written; CSV: the header row, then the rows as written)
//   records/index.csv        each record: its file in the bundle, source file, line, byte offset and length, SHA-256, rowids
//   events.csv               the stored (normalized) fields of the selected events
//   findings.json            when findings are given
//   attachments/<name>       the caller's attachments
// The folder is built under a temporary name beside the target and renamed into place when complete; on cancel or
// error it is removed, so no partial bundle is left.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { version as PACKAGE_VERSION } from '../../../package.json';
import type { SqlValue } from '../../shared/protocol';
import { jsonPathFilter } from '../analysis/jsonPathFilter';
import { iterateReadOnly, readOnlyColumns } from '../analysis/queryGuard';
import { assertUnchanged, queryAll, sourceFilesOf, type LoadedFile, type SqlTarget } from '../analysis/storeAccess';
import type { Finding } from '../findings/types';
import { filterSql, type EventFilter } from '../query/filter';
import { OutputRefusedError, abortError, assertSafeOutputPath, resolvedPath, sha256File } from './outputFile';
import { readRawRanges } from './rawRecords';
import { csvLine, eventsByRowid, exportRows } from './tabular';
import { writeZip } from './zip';

export const BUNDLE_FORMAT = 'ai-audit-lens-evidence/1';

export type BundleSelection =
  | { rowids: readonly number[] }
  | { filter: EventFilter }
  /** A read-only query returning a `rowid` column (checked like every user query). */
  | { sql: string; params?: SqlValue[] }
  /** A JSONPath over the raw records (see jsonPathFilter). */
  | { jsonPath: string };

export interface BundleAttachment {
  /** File name inside attachments/ (a plain name: no folders). */
  name: string;
  content: string | Uint8Array;
}

export interface EvidenceBundleOptions {
  /** The bundle folder to create: must not exist, or be an empty folder. */
  outDir: string;
  /** Also write a zip of the folder here (the folder is kept). */
  zipPath?: string;
  selection: BundleSelection;
  /** In words, what was selected and why (goes into the manifest and README). */
  description?: string;
  /** Also include the content records linked to the selected events (OTLP log records, later parts). Default true. */
  includeLinked?: boolean;
  findings?: readonly Finding[];
  /** Reports made by other engines, e.g. { name: 'integrity-report.md', content }, { name: 'redaction-summary.md', content }. */
  attachments?: readonly BundleAttachment[];
  /** The loaded files, in file_index order (default: read from the store). */
  files?: readonly LoadedFile[];
  tool?: { name: string; version: string };
  /** The creation time written to the manifest (default now). */
  now?: Date;
  signal?: AbortSignal;
  onProgress?: (p: { phase: 'select' | 'records' | 'events' | 'hash' | 'zip'; done: number; total: number }) => void;
}

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  tool: { name: string; version: string };
  createdAt: string;
  selection: {
    description: string | null;
    kind: 'rowids' | 'filter' | 'sql' | 'jsonpath';
    filter?: EventFilter;
    sql?: string;
    params?: SqlValue[];
    jsonPath?: string;
    rowids?: number;
    includeLinked: boolean;
    events: number;
    records: number;
  };
  sources: { fileIndex: number; fileName: string; path: string; format: string; compressed: boolean; bytes: number; sha256: string; records: number }[];
  /** Every file of the bundle but manifest.json and SHA256SUMS (which lists manifest.json too). */
  files: ManifestFile[];
  attachments: string[];
  findings: number | null;
}

export interface EvidenceBundleResult {
  dir: string;
  zip: { path: string; bytes: number; sha256: string } | null;
  manifest: BundleManifest;
  events: number;
  records: number;
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A safe file name: letters, digits, dot, dash, underscore; no leading dot. */
export function safeName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return base.slice(0, 120) || 'file';
}

function selectionRowids(store: SqlTarget, files: readonly LoadedFile[], sel: BundleSelection, signal?: AbortSignal): Promise<number[]> | number[] {
  if ('rowids' in sel) {
    const ids = [...new Set(sel.rowids)].filter((n) => Number.isInteger(n));
    const known = new Set<number>();
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      for (const r of queryAll(store, `SELECT rowid FROM events WHERE rowid IN (${part.map(() => '?').join(',')})`, part)) known.add(r[0] as number);
    }
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) throw new Error(`no event with rowid ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
    return ids;
  }
  if ('filter' in sel) {
    const { where, params } = filterSql(sel.filter);
    return queryAll(store, `SELECT rowid FROM events WHERE ${where} ORDER BY rowid`, params).map((r) => r[0] as number);
  }
  if ('sql' in sel) {
    const cols = readOnlyColumns(store, sel.sql).map((c) => c.toLowerCase());
    const at = cols.indexOf('rowid');
    if (at < 0) throw new Error('the query of an evidence bundle must return a column named rowid (e.g. SELECT rowid FROM events WHERE …)');
    const out = new Set<number>();
    for (const row of iterateReadOnly(store, sel.sql, sel.params ?? [])) if (typeof row[at] === 'number') out.add(row[at] as number);
    return [...out];
  }
  return jsonPathFilter(files, sel.jsonPath, { maxMatches: Number.MAX_SAFE_INTEGER, keepValues: false, store, signal }).then((r) => r.matches.flatMap((m) => m.rowids ?? []));
}

interface RecordRef {
  fileIndex: number;
  line: number;
  byteOffset: number;
  byteLength: number;
  rowids: number[];
}

function recordsOf(store: SqlTarget, rowids: readonly number[]): RecordRef[] {
  const byKey = new Map<string, RecordRef>();
  for (let i = 0; i < rowids.length; i += 500) {
    const part = rowids.slice(i, i + 500);
    for (const r of queryAll(store, `SELECT rowid, file_index, line, byte_offset, byte_length FROM events WHERE rowid IN (${part.map(() => '?').join(',')})`, part)) {
      const key = `${r[1]}:${r[3]}`;
      const ref = byKey.get(key) ?? { fileIndex: r[1] as number, line: r[2] as number, byteOffset: r[3] as number, byteLength: r[4] as number, rowids: [] };
      ref.rowids.push(r[0] as number);
      byKey.set(key, ref);
    }
  }
  const out = [...byKey.values()].sort((a, b) => a.fileIndex - b.fileIndex || a.byteOffset - b.byteOffset);
  for (const r of out) r.rowids.sort((a, b) => a - b);
  return out;
}

function linkedRowids(store: SqlTarget, rowids: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < rowids.length; i += 500) {
    const part = rowids.slice(i, i + 500);
    for (const r of queryAll(
      store,
      `SELECT m.rowid FROM events e JOIN events m ON m.kind = 'message' AND m.trace_id = e.trace_id AND m.parent_span_id = e.span_id
       WHERE e.rowid IN (${part.map(() => '?').join(',')}) AND e.trace_id IS NOT NULL AND e.span_id IS NOT NULL`,
      part,
    )) out.push(r[0] as number);
  }
  return out;
}

function recordsFileName(file: LoadedFile): { name: string; kind: 'lines' | 'array' | 'csv' } {
  const base = safeName(file.fileName.replace(/\.gz$/i, ''));
  const prefix = String(file.fileIndex).padStart(2, '0');
  if (file.format === 'csv') return { name: `${prefix}-${base.replace(/\.csv$/i, '')}.csv`, kind: 'csv' };
  if (file.format === 'jsonl') return { name: `${prefix}-${base.replace(/\.(jsonl|ndjson)$/i, '')}.jsonl`, kind: 'lines' };
  return { name: `${prefix}-${base.replace(/\.json$/i, '')}.json`, kind: 'array' };
}

/** The header row of a CSV export: its bytes before the first record (event or skipped line). */
async function csvHeader(store: SqlTarget, file: LoadedFile): Promise<Buffer> {
  const first = queryAll(
    store,
    'SELECT min(o) FROM (SELECT min(byte_offset) AS o FROM events WHERE file_index = ? UNION ALL SELECT min(byte_offset) FROM skipped_lines WHERE file_index = ?)',
    [file.fileIndex, file.fileIndex],
  )[0][0] as number | null;
  if (first === null || first === 0) return Buffer.alloc(0);
  let header: Buffer = Buffer.alloc(0);
  await readRawRanges(file, [{ byteOffset: 0, byteLength: first }], (_i, b) => {
    header = b;
  });
  return header;
}

function readmeText(m: BundleManifest, recordFiles: string[]): string {
  const sel = m.selection;
  const how =
    sel.kind === 'rowids'
      ? `${sel.rowids} events chosen by their ids`
      : sel.kind === 'filter'
        ? `the filter \`${JSON.stringify(sel.filter)}\``
        : sel.kind === 'sql'
          ? `the read-only SQL query\n\n\`\`\`sql\n${sel.sql}\n\`\`\`\n\nwith parameters \`${JSON.stringify(sel.params ?? [])}\``
          : `the JSONPath \`${sel.jsonPath}\` over the raw records`;
  const rows = [
    '| `README.md` | this file |',
    '| `manifest.json` | tool, time, selection, the source exports with their SHA-256, every file of the bundle with its size and SHA-256 |',
    '| `SHA256SUMS` | the SHA-256 of every file (manifest.json included), for `sha256sum -c` |',
    ...recordFiles.map((f) => `| \`${f}\` | the selected records of one source export, byte for byte as in the export |`),
    '| `records/index.csv` | every record: its file here, source file index, line, byte offset and length in the (decompressed) export, SHA-256 of its bytes, the event ids (rowids) loaded from it |',
    '| `events.csv` | the normalized fields of the selected events, as AI Audit Lens stored them |',
    ...(m.findings !== null ? ['| `findings.json` | the findings reported at the time of the export |'] : []),
    ...m.attachments.map((a) => `| \`attachments/${a}\` | attached by the exporter |`),
  ];
  return `# Evidence bundle

Produced by ${m.tool.name} ${m.tool.version} on ${m.createdAt}.

${sel.description ? `Purpose: ${sel.description}\n\n` : ''}Selection: ${how}${sel.includeLinked ? ' (plus the content records linked to the selected events)' : ''}.
It holds ${sel.events} events from ${sel.records} records of ${m.sources.length} source export(s):

${m.sources.map((s) => `- \`${s.fileName}\` (${s.format}${s.compressed ? ', gzip' : ''}, ${s.bytes} bytes), SHA-256 \`${s.sha256}\`: ${s.records} records`).join('\n')}

## Contents

| path | what |
|---|---|
${rows.join('\n')}

Records in \`records/\`: JSON Lines exports give one record per line, as written (a byte-order mark at the very start
of the export is left out); JSON arrays and documents give a JSON array of the elements as written; CSV exports give
the header row, then the rows as written.

## How to verify

1. Every file of the bundle is unchanged:

   \`\`\`sh
   sha256sum -c SHA256SUMS            # Linux
   shasum -a 256 -c SHA256SUMS        # macOS
   \`\`\`

   On Windows (PowerShell): \`Get-FileHash -Algorithm SHA256 <file>\` and compare with the line of \`SHA256SUMS\`.
   \`manifest.json\` lists the same hashes for every file but itself and \`SHA256SUMS\`.

2. The source export is the one the records were taken from: \`sha256sum <export>\` equals \`sources[].sha256\` in
   \`manifest.json\` (the hash of the file as stored, compressed bytes for a gzip file).

3. A record is exactly the bytes of the export at its offset (\`records/index.csv\`):

   \`\`\`sh
   tail -c +$((OFFSET + 1)) <export> | head -c LENGTH | sha256sum        # plain export
   gunzip -c <export.gz> | tail -c +$((OFFSET + 1)) | head -c LENGTH | sha256sum   # gzip export
   \`\`\`

   and the result equals the record's \`sha256\` in \`records/index.csv\`.
`;
}

function writeFileIn(dir: string, rel: string, content: string | Uint8Array): void {
  const abs = path.join(dir, ...rel.split('/'));
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content, { flag: 'wx' });
}

/** Builds the bundle (see the file comment). Never writes over an input export; removes everything on cancel. */
export async function createEvidenceBundle(store: SqlTarget, options: EvidenceBundleOptions): Promise<EvidenceBundleResult> {
  const signal = options.signal;
  const check = () => {
    if (signal?.aborted) throw abortError(signal);
  };
  const files = options.files ?? sourceFilesOf(store);
  const inputPaths = files.map((f) => f.path);
  const outDir = path.resolve(options.outDir);
  // The folder: new, or an existing empty one; never an input (nor a folder holding one: it would be replaced).
  for (const input of inputPaths) {
    const rin = resolvedPath(input);
    const rout = resolvedPath(outDir);
    if (rin === rout || rin.startsWith(rout + path.sep)) throw new OutputRefusedError(`Refused: the bundle folder ${outDir} is or holds the input export ${input}`);
  }
  if (fs.existsSync(outDir)) {
    if (!fs.statSync(outDir).isDirectory()) throw new OutputRefusedError(`Refused: ${outDir} exists and is not a folder`);
    if (fs.readdirSync(outDir).length) throw new OutputRefusedError(`Refused: the bundle folder ${outDir} is not empty`);
  }
  if (!fs.existsSync(path.dirname(outDir))) throw new OutputRefusedError(`Refused: the folder ${path.dirname(outDir)} does not exist`);
  if (options.zipPath) {
    const rz = resolvedPath(options.zipPath);
    if (rz === resolvedPath(outDir) || rz.startsWith(resolvedPath(outDir) + path.sep)) throw new OutputRefusedError('Refused: the zip cannot be inside the bundle folder');
    assertSafeOutputPath(options.zipPath, { inputPaths, what: 'zip' });
  }
  const attachments = (options.attachments ?? []).map((a) => ({ name: safeName(a.name), content: a.content }));
  const names = new Set<string>();
  for (const a of attachments) {
    if (names.has(a.name)) throw new Error(`two attachments are named ${a.name}`);
    names.add(a.name);
  }
  for (const f of files) assertUnchanged(f);

  const temp = `${outDir}.partial-${process.pid}-${Date.now().toString(36)}`;
  let zipResult: EvidenceBundleResult['zip'] = null;
  fs.mkdirSync(temp);
  try {
    // 1. what is selected
    options.onProgress?.({ phase: 'select', done: 0, total: 1 });
    let rowids = await selectionRowids(store, files, options.selection, signal);
    const includeLinked = options.includeLinked ?? true;
    if (includeLinked) rowids = [...new Set([...rowids, ...linkedRowids(store, rowids)])];
    rowids.sort((a, b) => a - b);
    const records = recordsOf(store, rowids);
    options.onProgress?.({ phase: 'select', done: 1, total: 1 });
    check();

    // 2. the records, byte for byte, and their index
    const index: string[] = [csvLine(['record_file', 'file_index', 'source_file', 'line', 'byte_offset', 'byte_length', 'sha256', 'rowids'])];
    const recordFiles: string[] = [];
    const perSource = new Map<number, number>();
    let done = 0;
    for (const file of files) {
      const refs = records.filter((r) => r.fileIndex === file.fileIndex);
      perSource.set(file.fileIndex, refs.length);
      if (refs.length === 0) continue;
      const { name, kind } = recordsFileName(file);
      const rel = `records/${name}`;
      recordFiles.push(rel);
      fs.mkdirSync(path.join(temp, 'records'), { recursive: true });
      const fd = fs.openSync(path.join(temp, 'records', name), 'wx');
      try {
        let newline = '\n';
        if (kind === 'csv') {
          const header = await csvHeader(store, file);
          if (header.length) fs.writeSync(fd, header);
          if (header.subarray(-2).toString() === '\r\n') newline = '\r\n';
          else if (header.length && header[header.length - 1] !== 0x0a) fs.writeSync(fd, '\n');
        }
        if (kind === 'array') fs.writeSync(fd, '[\n');
        await readRawRanges(
          file,
          refs,
          (i, bytes) => {
            const ref = refs[i];
            let body = bytes;
            if (ref.byteOffset === 0 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3); // a BOM is not part of the record
            if (kind === 'array' && i > 0) fs.writeSync(fd, ',\n');
            fs.writeSync(fd, body);
            if (kind !== 'array') fs.writeSync(fd, newline);
            index.push(csvLine([rel, file.fileIndex, file.fileName, ref.line, ref.byteOffset, ref.byteLength, sha(bytes), ref.rowids.join(' ')]));
            done++;
            if (done % 500 === 0) options.onProgress?.({ phase: 'records', done, total: records.length });
          },
          signal,
        );
        if (kind === 'array') fs.writeSync(fd, '\n]\n');
      } finally {
        fs.closeSync(fd);
      }
    }
    writeFileIn(temp, 'records/index.csv', index.join(''));
    options.onProgress?.({ phase: 'records', done, total: records.length });
    check();

    // 3. the stored fields, findings, attachments
    options.onProgress?.({ phase: 'events', done: 0, total: rowids.length });
    await exportRows(eventsByRowid(store, rowids), path.join(temp, 'events.csv'), { format: 'csv', inputPaths, signal });
    if (options.findings) writeFileIn(temp, 'findings.json', `${JSON.stringify(options.findings, null, 2)}\n`);
    for (const a of attachments) writeFileIn(temp, `attachments/${a.name}`, a.content);
    options.onProgress?.({ phase: 'events', done: rowids.length, total: rowids.length });
    check();

    // 4. hashes: sources, then README, manifest, SHA256SUMS
    const sources: BundleManifest['sources'] = [];
    for (const [i, f] of files.entries()) {
      options.onProgress?.({ phase: 'hash', done: i, total: files.length });
      sources.push({ fileIndex: f.fileIndex, fileName: f.fileName, path: f.path, format: f.format, compressed: f.compressed, bytes: fs.statSync(f.path).size, sha256: await sha256File(f.path, signal), records: perSource.get(f.fileIndex) ?? 0 });
    }
    const sel = options.selection;
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      tool: options.tool ?? { name: 'AI Audit Lens', version: PACKAGE_VERSION },
      createdAt: (options.now ?? new Date()).toISOString(),
      selection: {
        description: options.description ?? null,
        kind: 'rowids' in sel ? 'rowids' : 'filter' in sel ? 'filter' : 'sql' in sel ? 'sql' : 'jsonpath',
        ...('filter' in sel ? { filter: sel.filter } : {}),
        ...('sql' in sel ? { sql: sel.sql, params: sel.params ?? [] } : {}),
        ...('jsonPath' in sel ? { jsonPath: sel.jsonPath } : {}),
        ...('rowids' in sel ? { rowids: sel.rowids.length } : {}),
        includeLinked,
        events: rowids.length,
        records: records.length,
      },
      sources,
      files: [],
      attachments: attachments.map((a) => a.name),
      findings: options.findings ? options.findings.length : null,
    };
    writeFileIn(temp, 'README.md', readmeText(manifest, recordFiles));
    const listed: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(temp, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(r);
        else listed.push(r);
      }
    };
    walk('');
    listed.sort();
    for (const rel of listed) {
      check();
      const abs = path.join(temp, ...rel.split('/'));
      manifest.files.push({ path: rel, bytes: fs.statSync(abs).size, sha256: await sha256File(abs, signal) });
    }
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    writeFileIn(temp, 'manifest.json', manifestText);
    const sums = [...manifest.files, { path: 'manifest.json', sha256: sha(manifestText) }]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((f) => `${f.sha256}  ${f.path}\n`)
      .join('');
    writeFileIn(temp, 'SHA256SUMS', sums);
    options.onProgress?.({ phase: 'hash', done: files.length, total: files.length });
    check();

    // 5. into place, then the zip of it
    if (fs.existsSync(outDir)) fs.rmdirSync(outDir); // checked empty above
    fs.renameSync(temp, outDir);
    if (options.zipPath) {
      options.onProgress?.({ phase: 'zip', done: 0, total: 1 });
      const top = safeName(path.basename(outDir));
      const entries = [...listed, 'manifest.json', 'SHA256SUMS'].sort().map((rel) => ({ name: `${top}/${rel}`, file: path.join(outDir, ...rel.split('/')) }));
      try {
        zipResult = await writeZip(entries, options.zipPath, { inputPaths, signal, mtime: options.now });
      } catch (err) {
        fs.rmSync(outDir, { recursive: true, force: true });
        throw err;
      }
      options.onProgress?.({ phase: 'zip', done: 1, total: 1 });
    }
    return { dir: outDir, zip: zipResult, manifest, events: rowids.length, records: records.length };
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}

/** Checks a bundle folder against its SHA256SUMS: the files that differ or are missing (empty when all match). */
export async function verifyBundle(dir: string): Promise<{ ok: boolean; checked: number; failures: string[] }> {
  const sums = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const failures: string[] = [];
  for (const line of sums) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) {
      failures.push(`bad line: ${line}`);
      continue;
    }
    const abs = path.join(dir, ...m[2].split('/'));
    if (!fs.existsSync(abs)) failures.push(`${m[2]}: missing`);
    else if ((await sha256File(abs)) !== m[1]) failures.push(`${m[2]}: SHA-256 differs`);
  }
  return { ok: failures.length === 0, checked: sums.length, failures };
}
