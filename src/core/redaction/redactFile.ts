// A redacted copy of an export: streams the input with the format readers (never loading it whole, never
// writing to it), redacts every record, and writes a new file in the same container format (JSON Lines, JSON
// array, JSON document or CSV; gzip when the input is gzip). The output is written to a temporary file beside the
// target and renamed into place only when complete, so a failure or a cancel never leaves a partial copy.
//
// Decisions (docs/redaction.md):
//   - Lines or elements the reader skips (invalid JSON, oversize, wrong CSV field count) are NOT copied: their
//     content could not be parsed, so it cannot be redacted field by field, and copying it raw would leak. They are
//     counted and listed (line and reason) in the summary, like records nested deeper than MAX_DEPTH (1000 levels),
//     which cannot be walked. Blank lines are dropped too.
//   - JSON Lines and JSON array copies start with an integrity header record
//     {"schema":"auditlens/1","type":"integrity.redacted_copy","original_sha256":…,"redaction_mode":…,…}
//     that links the copy to the original file; it is the first link of the new chain when the copy is re-chained.
//     CSV and single JSON documents have no room for it: the link is in the summary only.
//   - Integrity fields: see copyIntegrity.ts (re-chained by default; `rechain: false` removes them).
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { GENESIS_HASH, recordHash } from '../integrity/hashChain';
import type { ContainerFormat } from '../ingest/detectFormat';
import { READERS } from '../ingest/readers';
import type { ReadEvent } from '../ingest/readerTypes';
import { CHAIN_FIELDS, hasChainFields, integrityNote, type CopyIntegrity } from './copyIntegrity';
import { RecordRedactor } from './copyRecords';
import { cellPlaces, cellRawText, csvColumns, csvLine, readCsvCells, readCsvHeader, recordFromRawCells, valueAt } from './csvCopy';
import { Detector } from './detect';
import type { FindingTallies } from './findingCounts';
import { inspectInput, sha256File } from './inputFile';
import { NestingTooDeepError } from './recordWalker';
import { RedactionContext, redact } from './redact';
import type { DetectOptions, RedactionMode } from './types';

export interface RedactFileOptions {
  mode: RedactionMode;
  /** The HMAC key of pseudonym mode (required there, at least 16 bytes). */
  key?: Buffer;
  /** Pseudonym mode: keep the shape of emails, cards, phones, SSNs, IBANs (formatPreserving.ts). */
  formatPreserving?: boolean;
  detect?: DetectOptions;
  /** Replace an existing output file (never the input). Default false. */
  overwrite?: boolean;
  /** Re-chain a hash-chained input (default true); false removes hash and prev_hash instead. */
  rechain?: boolean;
  /** The container format, instead of detecting it. */
  format?: ContainerFormat;
  /** Longest value (line, element, row) read; longer ones are skipped. Default 64 MiB. */
  maxValueBytes?: number;
  /** Called as the copy progresses: records read so far, bytes read from the input (compressed bytes for gzip). */
  onProgress?: (records: number, bytes: number) => void;
  /** Aborting stops the copy, removes the partial output and rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface SkippedValue {
  line: number;
  reason: string;
}

export interface RedactionSummary {
  input: string;
  output: string;
  format: ContainerFormat;
  compressed: boolean;
  mode: RedactionMode;
  originalSha256: string;
  outputSha256: string;
  /** rechained | removed | none (copyIntegrity.ts), and the sentence explaining it. */
  integrity: CopyIntegrity;
  rechained: boolean;
  integrityNote: string;
  /** True when the copy starts with the integrity.redacted_copy record (JSON Lines, JSON array). */
  integrityHeader: boolean;
  /** Records read and redacted (values the reader returned, minus those nested too deep to walk). */
  recordsRead: number;
  /** Records written to the copy, the integrity header not included. */
  recordsWritten: number;
  /** Records whose content changed by redaction. */
  recordsChanged: number;
  /** Values the reader skipped, and records nested too deep: dropped from the copy (the first 1000 are listed). */
  skipped: SkippedValue[];
  skippedCount: number;
  blankLines: number;
  signaturesRemoved: number;
  findings: FindingTallies;
}

/** Thrown before anything is written when the copy cannot be made as asked. */
export class CopyRefusedError extends Error {}

const MAX_SKIPPED_LISTED = 1000;
const FLUSH_CHARS = 1024 * 1024;
const PROGRESS_EVERY = 1000;

/** Refuses an output that is the input (by path or by inode), or an existing file without `overwrite`. */
function checkPaths(input: string, output: string, overwrite: boolean): void {
  if (input === output) throw new CopyRefusedError(`the output ${output} is the input file; choose another path`);
  if (!fs.existsSync(output)) {
    if (!fs.existsSync(path.dirname(output))) throw new CopyRefusedError(`the output folder ${path.dirname(output)} does not exist`);
    return;
  }
  const a = fs.statSync(input);
  const b = fs.statSync(output);
  if (a.dev === b.dev && a.ino === b.ino) throw new CopyRefusedError(`the output ${output} is the input file (a link to it); choose another path`);
  if (!b.isFile()) throw new CopyRefusedError(`the output ${output} exists and is not a file`);
  if (!overwrite) throw new CopyRefusedError(`the output ${output} exists; pass overwrite to replace it`);
}

/** Indents a pretty-printed JSON value by two spaces (an element of the copy's top-level array). */
function indent(json: string): string {
  return '  ' + json.replace(/\n/g, '\n  ');
}

/** Batches small strings into chunks of about 1 MB for the output stream. */
class ChunkBuffer {
  private text = '';
  add(s: string): string | null {
    this.text += s;
    if (this.text.length < FLUSH_CHARS) return null;
    const out = this.text;
    this.text = '';
    return out;
  }
  rest(): string {
    const out = this.text;
    this.text = '';
    return out;
  }
}

export async function redactFile(inPath: string, outPath: string, options: RedactFileOptions): Promise<RedactionSummary> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const input = path.resolve(inPath);
  const output = path.resolve(outPath);
  if (!fs.existsSync(input) || !fs.statSync(input).isFile()) throw new CopyRefusedError(`${inPath}: no such file`);
  checkPaths(input, output, options.overwrite ?? false);
  if (options.mode === 'pseudonym' && !options.key) throw new CopyRefusedError('pseudonym mode needs a key');

  const detector = new Detector(options.detect ?? {});
  const ctx = new RedactionContext({ key: options.key, formatPreserving: options.formatPreserving });
  const info = await inspectInput(input, options.format);
  const originalSha256 = await sha256File(input, signal);
  const rechain = options.rechain ?? true;
  const maxValueBytes = options.maxValueBytes;

  let recordsRead = 0;
  let recordsWritten = 0;
  let blankLines = 0;
  let skippedCount = 0;
  let bytesRead = 0;
  const skipped: SkippedValue[] = [];
  let redactor: RecordRedactor | null = null;
  let integrityHeader = false;

  const integrityFor = (chained: boolean): CopyIntegrity => (!chained ? 'none' : rechain ? 'rechained' : 'removed');
  const progress = (force = false) => {
    if (options.onProgress && (force || recordsRead % PROGRESS_EVERY === 0)) options.onProgress(recordsRead, bytesRead);
  };
  const onBytes = (n: number) => {
    bytesRead = n;
    options.onProgress?.(recordsRead, bytesRead);
  };
  /** Counts a non-value event. */
  const other = (ev: ReadEvent) => {
    if (ev.kind === 'blank') blankLines++;
    else if (ev.kind === 'skip') {
      skippedCount++;
      if (skipped.length < MAX_SKIPPED_LISTED) skipped.push({ line: ev.loc.line, reason: ev.reason });
    }
  };
  const headerRecord = (integrity: CopyIntegrity): Record<string, unknown> => {
    const name = path.basename(input);
    return {
      schema: 'auditlens/1',
      type: 'integrity.redacted_copy',
      ts: new Date().toISOString(),
      original_file: redact(name, detector.detect(name), options.mode, ctx),
      original_sha256: originalSha256,
      redaction_mode: options.mode,
      integrity,
      detail: integrityNote(integrity),
    };
  };

  /** The output of a JSON Lines, JSON array or JSON document input. */
  async function* jsonChunks(): AsyncGenerator<string> {
    const events = READERS[info.format](input, { maxValueBytes, onProgress: onBytes })[Symbol.asyncIterator]();
    try {
      // Look ahead to the first record: is the input hash-chained?
      const pending: ReadEvent[] = [];
      for (;;) {
        const r = await events.next();
        if (r.done) break;
        pending.push(r.value);
        if (r.value.kind === 'value') break;
      }
      const first = pending.find((e) => e.kind === 'value');
      redactor = new RecordRedactor(detector, options.mode, ctx, integrityFor(first !== undefined && first.kind === 'value' && hasChainFields(first.value)));
      const r = redactor;
      const buffer = new ChunkBuffer();
      const array = info.format === 'json-array';
      const document = info.format === 'json-document';
      let written = 0;
      const serialize = (value: unknown): string => {
        if (array) return (written++ === 0 ? '[\n' : ',\n') + indent(JSON.stringify(value, null, 2));
        if (document) return JSON.stringify(value, null, 2) + '\n';
        return JSON.stringify(value) + '\n';
      };
      if (!document) {
        integrityHeader = true;
        const flushed = buffer.add(serialize(r.seal(headerRecord(r.integrity), false)));
        if (flushed) yield flushed;
      }
      const handle = (ev: ReadEvent): string | null => {
        if (ev.kind !== 'value') {
          other(ev);
          return null;
        }
        let out: unknown;
        try {
          out = r.process(ev.value);
        } catch (err) {
          if (!(err instanceof NestingTooDeepError)) throw err;
          other({ kind: 'skip', loc: ev.loc, reason: err.message });
          return null;
        }
        recordsRead++;
        progress();
        recordsWritten++;
        return buffer.add(serialize(out));
      };
      for (const ev of pending) {
        const flushed = handle(ev);
        if (flushed) yield flushed;
      }
      for (let next = await events.next(); !next.done; next = await events.next()) {
        signal?.throwIfAborted();
        const flushed = handle(next.value);
        if (flushed) yield flushed;
      }
      let tail = buffer.rest();
      if (array) tail += written === 0 ? '[]\n' : '\n]\n';
      if (tail) yield tail;
    } finally {
      await events.return?.(undefined);
    }
  }

  /** The output of a CSV input: same header order, cells redacted, chain columns recomputed or dropped. */
  async function* csvChunks(): AsyncGenerator<string> {
    const header = await readCsvHeader(input);
    if (!header) {
      redactor = new RecordRedactor(detector, options.mode, ctx, 'none');
      return;
    }
    const columns = csvColumns(header.names);
    const chained = header.names.some((n) => CHAIN_FIELDS.includes(n));
    const r = new RecordRedactor(detector, options.mode, ctx, integrityFor(chained));
    redactor = r;
    const dropped = new Set<number>();
    if (r.integrity === 'removed') header.names.forEach((n, i) => (n === 'hash' || n === 'prev_hash' || n === 'signature') && dropped.add(i));
    const signatureColumn = header.names.indexOf('signature');
    const hashColumn = header.names.indexOf('hash');
    const prevColumn = header.names.indexOf('prev_hash');
    const keep = (raw: string[]) => raw.filter((_, i) => !dropped.has(i));
    const buffer = new ChunkBuffer();
    const headerLine = buffer.add(csvLine(keep(header.names), header.crlf));
    if (headerLine) yield headerLine;
    let prev = GENESIS_HASH;
    for await (const ev of readCsvCells(input, columns.length, maxValueBytes, onBytes)) {
      signal?.throwIfAborted();
      if (ev.kind !== 'value') {
        other(ev);
        continue;
      }
      const row = ev.value as Record<string, unknown>;
      const cells = columns.map((_, i) => row[`c${i + 1}`]);
      const record = recordFromRawCells(columns, cells.map(cellRawText));
      const places = cellPlaces(columns, cells);
      let result: { value: unknown; changed: boolean };
      try {
        result = r.redact(record);
      } catch (err) {
        if (!(err instanceof NestingTooDeepError)) throw err;
        other({ kind: 'skip', loc: ev.loc, reason: err.message });
        continue;
      }
      const { value: redacted, changed } = result;
      recordsRead++;
      progress();
      const raw = columns.map((_, i) => (places[i] ? cellRawText(valueAt(redacted, places[i]!)) : ''));
      if (signatureColumn !== -1 && raw[signatureColumn] !== '' && (changed || r.integrity !== 'none')) {
        raw[signatureColumn] = '';
        r.signaturesRemoved++;
      }
      if (r.integrity === 'rechained') {
        // Hash exactly what a verifier reads back from the written cells.
        if (prevColumn !== -1) raw[prevColumn] = prev;
        if (hashColumn !== -1) raw[hashColumn] = '';
        const h = recordHash(recordFromRawCells(columns, raw));
        if (hashColumn !== -1) raw[hashColumn] = h;
        prev = h;
      }
      recordsWritten++;
      const flushed = buffer.add(csvLine(keep(raw), header.crlf));
      if (flushed) yield flushed;
    }
    const tail = buffer.rest();
    if (tail) yield tail;
  }

  const tmp = `${output}.partial-${process.pid}-${Date.now().toString(36)}`;
  const source = Readable.from(info.format === 'csv' ? csvChunks() : jsonChunks(), { objectMode: false });
  const sink = fs.createWriteStream(tmp, { flags: 'wx' });
  try {
    if (info.compressed) await pipeline(source, zlib.createGzip(), sink, { signal });
    else await pipeline(source, sink, { signal });
    fs.renameSync(tmp, output);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  progress(true);
  const r = redactor as RecordRedactor | null;
  const integrity = r?.integrity ?? 'none';
  return {
    input,
    output,
    format: info.format,
    compressed: info.compressed,
    mode: options.mode,
    originalSha256,
    outputSha256: await sha256File(output),
    integrity,
    rechained: integrity === 'rechained',
    integrityNote: integrityNote(integrity),
    integrityHeader,
    recordsRead,
    recordsWritten,
    recordsChanged: r?.recordsChanged ?? 0,
    skipped,
    skippedCount,
    blankLines,
    signaturesRemoved: r?.signaturesRemoved ?? 0,
    findings: r?.counts.toJSON() ?? { total: 0, byType: {}, byScope: {}, byField: {}, bySession: {} },
  };
}
