// Detection and redaction applied to whole records: every scanned string of the record (see recordWalker.ts) is
// run through the detector; each finding is reported with its JSON path, field, scope and session.
import type { Detector } from './detect';
import { redact, type RedactionContext } from './redact';
import { walkStrings } from './recordWalker';
import type { Finding, RedactionMode, Scope } from './types';

export interface RecordFinding extends Finding {
  /** Exact JSON path of the string, e.g. `messages[1].content`. */
  path: string;
  /** The path without indices (and OTLP wrappers): what per-field counts use. */
  field: string;
  scope: Scope;
  sessionId: string | null;
}

/** The findings in one record (parsed JSON value). */
export function scanRecord(record: unknown, detector: Detector): RecordFinding[] {
  const out: RecordFinding[] = [];
  walkStrings(record, (text, leaf) => {
    const findings = detector.detect(text, { key: leaf.key });
    if (findings.length === 0) return undefined;
    const where = { path: leaf.path(), field: leaf.field(), scope: leaf.scope, sessionId: leaf.sessionId };
    for (const f of findings) out.push({ ...f, ...where });
    return undefined;
  });
  return out;
}

/** The record with every finding replaced (a new value; the input is not modified) and the findings. */
export function redactRecord(record: unknown, detector: Detector, mode: RedactionMode, ctx: RedactionContext): { value: unknown; findings: RecordFinding[] } {
  const out: RecordFinding[] = [];
  const value = walkStrings(record, (text, leaf) => {
    const findings = detector.detect(text, { key: leaf.key });
    if (findings.length === 0) return undefined;
    const where = { path: leaf.path(), field: leaf.field(), scope: leaf.scope, sessionId: leaf.sessionId };
    for (const f of findings) out.push({ ...f, ...where });
    return redact(text, findings, mode, ctx);
  });
  return { value, findings: out };
}
