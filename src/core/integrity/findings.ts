// What the verifier reports about a place in the log, and how findings add up to a verdict.

export type FindingClass =
  | 'modified'
  | 'deleted'
  | 'inserted'
  | 'reordered'
  | 'duplicated'
  | 'truncated'
  | 'bad-signature'
  | 'unverifiable'
  | 'partial-chain'
  | 'info';

export type Severity = 'high' | 'medium' | 'info';

export const FINDING_CLASSES: readonly FindingClass[] = [
  'modified',
  'deleted',
  'inserted',
  'reordered',
  'duplicated',
  'truncated',
  'bad-signature',
  'unverifiable',
  'partial-chain',
  'info',
];

/** The classes that say the log was changed after it was written (as opposed to "cannot tell"). */
export const TAMPER_CLASSES: readonly FindingClass[] = ['modified', 'deleted', 'inserted', 'reordered', 'duplicated', 'truncated', 'bad-signature'];

export interface Finding {
  class: FindingClass;
  severity: Severity;
  /** 1-based line (for CSV and JSON arrays: where the row or element starts); 0 = the log as a whole. */
  line: number;
  /** The file, when several files are verified as one log. */
  file?: string;
  seq?: number;
  /** The record's `id` (or `event_id`, `record_id`), when it has one. */
  recordId?: string;
  /** Plain text; it may quote log content, so renderers must escape it. */
  message: string;
  expected?: string;
  actual?: string;
}

export type Verdict = 'verified' | 'tampered' | 'unverifiable' | 'no-chain' | 'partial';

/**
 * Where the checks send findings: at a chain record (by its index in the chain table) or at a place in the files
 * (an encoded location, fileIndex * 2^32 + line; 0 = the log as a whole).
 */
export interface Reporter {
  atRecord(x: number, cls: FindingClass, severity: Severity, message: string, detail?: { expected?: string; actual?: string }): void;
  atLoc(loc: number, cls: FindingClass, severity: Severity, message: string, detail?: { expected?: string; actual?: string }): void;
  /** "line 12", or "b.jsonl:12" when several files are verified, for a record index. */
  where(x: number): string;
  whereLoc(loc: number): string;
}

/** Collects findings up to a limit (the counts stay exact beyond it). */
export class FindingList {
  readonly items: Finding[] = [];
  omitted = 0;
  readonly byClass = Object.fromEntries(FINDING_CLASSES.map((c) => [c, 0])) as Record<FindingClass, number>;
  readonly bySeverity: Record<Severity, number> = { high: 0, medium: 0, info: 0 };
  /** Tamper-class findings above info severity. */
  tampering = 0;
  /** `unverifiable` findings above info severity. */
  uncheckable = 0;

  constructor(private readonly max: number) {}

  add(f: Finding): void {
    this.byClass[f.class] += 1;
    this.bySeverity[f.severity] += 1;
    if (f.severity !== 'info' && TAMPER_CLASSES.includes(f.class)) this.tampering += 1;
    if (f.severity !== 'info' && f.class === 'unverifiable') this.uncheckable += 1;
    if (this.items.length < this.max) this.items.push(f);
    else this.omitted += 1;
  }

  /** Findings in line order (file, then line); ties keep the order they were found in. */
  sorted(fileOrder: readonly string[] = []): Finding[] {
    const rank = (f: Finding) => (f.file === undefined ? 0 : fileOrder.indexOf(f.file));
    return this.items
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.f.line - b.f.line || a.i - b.i)
      .map((x) => x.f);
  }
}

/**
 * The verdict: `no-chain` / `unverifiable` when the chain could not be checked at all (decided by the caller),
 * else `tampered` when any tamper-class finding is above info, `unverifiable` when some content could not be
 * checked, `partial` when the export starts mid-chain, `verified` otherwise.
 */
export function verdictOf(list: FindingList, state: 'checked' | 'no-chain' | 'unverifiable'): Verdict {
  if (state !== 'checked') return state;
  if (list.tampering > 0) return 'tampered';
  if (list.uncheckable > 0) return 'unverifiable';
  if (list.byClass['partial-chain'] > 0) return 'partial';
  return 'verified';
}
