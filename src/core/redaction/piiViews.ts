// What the extension's views need from the redaction engine: a scan of the loaded files summarized for display
// (values never leave the worker in full: only display masks), and a side-by-side preview of one record.
import type { LoadProgress, PiiFinding, PiiScan } from '../../shared/protocol';
import type { ContainerFormat } from '../ingest/detectFormat';
import { READERS } from '../ingest/readers';
import { Detector } from './detect';
import { displayMask } from './displayMask';
import { RedactionContext } from './redact';
import { redactRecord } from './recordRedaction';
import { scanFile } from './scanFile';
import type { DetectOptions, RedactionMode } from './types';

const KEEP = 2000;

export async function scanForPii(paths: string[], detect: DetectOptions, onProgress: (p: LoadProgress) => void, signal: AbortSignal): Promise<PiiScan> {
  const started = Date.now();
  const scan: PiiScan = { records: 0, recordsWithFindings: 0, total: 0, byType: {}, byScope: {}, bySession: {}, findings: [], truncated: false, elapsedMs: 0 };
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  };
  for (const [fileIndex, file] of paths.entries()) {
    let last = 0;
    const result = await scanFile(file, {
      detect,
      signal,
      keepFindings: KEEP,
      onProgress: (records, bytes) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        onProgress({ bytesRead: bytes, totalBytes: 0, records: scan.records + records, skipped: 0, events: 0, elapsedMs: now - started });
      },
    });
    scan.records += result.records;
    scan.recordsWithFindings += result.recordsWithFindings;
    scan.total += result.counts.total;
    add(scan.byType, result.counts.byType);
    add(scan.byScope, result.counts.byScope);
    add(scan.bySession, result.counts.bySession);
    for (const f of result.findings) {
      if (scan.findings.length >= KEEP) break;
      scan.findings.push({ fileIndex, line: f.line, type: f.type, confidence: f.confidence, path: f.path, scope: f.scope, masked: displayMask(f) });
    }
    scan.truncated ||= result.findingsTruncated || scan.findings.length >= KEEP;
  }
  scan.elapsedMs = Date.now() - started;
  return scan;
}

/** The record that starts at `line`: its pretty-printed original and redacted text, and where each finding sits. */
export async function previewRecordRedaction(
  file: { path: string; format: ContainerFormat; compressed: boolean },
  fileIndex: number,
  line: number,
  detect: DetectOptions,
  mode: RedactionMode,
): Promise<{ original: string; redacted: string; findings: PiiFinding[] } | null> {
  for await (const ev of READERS[file.format](file.path)) {
    if (ev.loc.line > line) break;
    if (ev.kind !== 'value' || ev.loc.line !== line) continue;
    const original = JSON.stringify(ev.value, null, 2);
    // A pseudonym preview needs a key; the preview shows type tags instead (the copy uses the real mode).
    const previewMode: RedactionMode = mode === 'pseudonym' ? 'tag' : mode;
    const { value, findings } = redactRecord(ev.value, new Detector(detect), previewMode, new RedactionContext({}));
    // Locate each finding's value in the pretty text by its JSON-escaped form, in order, for highlighting.
    let from = 0;
    const out: PiiFinding[] = findings.map((f) => {
      const needle = JSON.stringify(f.value).slice(1, -1);
      const at = original.indexOf(needle, from);
      if (at >= 0) from = at + needle.length;
      return { fileIndex, line, type: f.type, confidence: f.confidence, path: f.path, scope: f.scope, masked: displayMask(f), ...(at >= 0 ? { start: at, end: at + needle.length } : {}) };
    });
    return { original, redacted: JSON.stringify(value, null, 2), findings: out };
  }
  return null;
}
