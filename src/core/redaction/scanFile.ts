// Scans an export for sensitive values without changing anything: streams the records with the format readers
// and reports each finding with its line, JSON path, field, scope and session, plus the tallies.
import type { ContainerFormat } from '../ingest/detectFormat';
import { READERS } from '../ingest/readers';
import { Detector } from './detect';
import { FindingCounts, type FindingTallies } from './findingCounts';
import { inspectInput } from './inputFile';
import { scanRecord, type RecordFinding } from './recordRedaction';
import { NestingTooDeepError } from './recordWalker';
import type { DetectOptions } from './types';

export interface FileFinding extends RecordFinding {
  /** 1-based line where the record starts (for CSV the row, for a JSON array the element). */
  line: number;
}

export interface ScanFileOptions {
  detect?: DetectOptions;
  format?: ContainerFormat;
  maxValueBytes?: number;
  /** Called for every finding, in file order (also those beyond `keepFindings`). */
  onFinding?: (finding: FileFinding) => void;
  /** How many findings the result keeps. Default 10,000 (the tallies count them all). */
  keepFindings?: number;
  onProgress?: (records: number, bytes: number) => void;
  signal?: AbortSignal;
}

export interface ScanSummary {
  file: string;
  format: ContainerFormat;
  compressed: boolean;
  records: number;
  recordsWithFindings: number;
  skippedCount: number;
  /** The first 1000 skipped values. */
  skipped: { line: number; reason: string }[];
  findings: FileFinding[];
  /** True when more findings exist than `findings` holds. */
  findingsTruncated: boolean;
  counts: FindingTallies;
}

export async function scanFile(file: string, options: ScanFileOptions = {}): Promise<ScanSummary> {
  options.signal?.throwIfAborted();
  const detector = new Detector(options.detect ?? {});
  const info = await inspectInput(file, options.format);
  const keep = options.keepFindings ?? 10_000;
  const counts = new FindingCounts();
  const findings: FileFinding[] = [];
  const skipped: { line: number; reason: string }[] = [];
  let records = 0;
  let recordsWithFindings = 0;
  let skippedCount = 0;
  let bytes = 0;
  const onProgress = (n: number) => {
    bytes = n;
    options.onProgress?.(records, bytes);
  };
  for await (const ev of READERS[info.format](file, { maxValueBytes: options.maxValueBytes, onProgress })) {
    options.signal?.throwIfAborted();
    if (ev.kind === 'skip') {
      skippedCount++;
      if (skipped.length < 1000) skipped.push({ line: ev.loc.line, reason: ev.reason });
      continue;
    }
    if (ev.kind !== 'value') continue;
    let found: RecordFinding[];
    try {
      found = scanRecord(ev.value, detector);
    } catch (err) {
      if (!(err instanceof NestingTooDeepError)) throw err;
      skippedCount++;
      if (skipped.length < 1000) skipped.push({ line: ev.loc.line, reason: err.message });
      continue;
    }
    records++;
    if (found.length > 0) recordsWithFindings++;
    for (const f of found) {
      const ff: FileFinding = { ...f, line: ev.loc.line };
      counts.add(ff);
      if (findings.length < keep) findings.push(ff);
      options.onFinding?.(ff);
    }
  }
  options.onProgress?.(records, bytes);
  return {
    file,
    format: info.format,
    compressed: info.compressed,
    records,
    recordsWithFindings,
    skippedCount,
    skipped,
    findings,
    findingsTruncated: counts.total > findings.length,
    counts: counts.toJSON(),
  };
}
