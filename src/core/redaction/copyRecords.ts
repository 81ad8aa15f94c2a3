// Redacts the records of one file for a copy, keeping the tallies the summary reports, and applies the copy's
// integrity handling (copyIntegrity.ts) to JSON records.
import { FindingCounts } from './findingCounts';
import { Rechainer, isJsonObject, withoutFields, type CopyIntegrity } from './copyIntegrity';
import type { Detector } from './detect';
import type { RedactionContext } from './redact';
import { redactRecord } from './recordRedaction';
import type { RedactionMode } from './types';

export class RecordRedactor {
  readonly counts = new FindingCounts();
  recordsChanged = 0;
  signaturesRemoved = 0;
  private readonly rechainer = new Rechainer();

  constructor(
    private readonly detector: Detector,
    private readonly mode: RedactionMode,
    private readonly ctx: RedactionContext,
    readonly integrity: CopyIntegrity,
  ) {}

  /** The redacted value (a new value when something was replaced) and whether it changed. */
  redact(value: unknown): { value: unknown; changed: boolean } {
    const result = redactRecord(value, this.detector, this.mode, this.ctx);
    for (const f of result.findings) this.counts.add(f);
    const changed = result.value !== value;
    if (changed) this.recordsChanged++;
    return { value: result.value, changed };
  }

  /** Redacts a JSON record and applies the integrity handling: what the copy writes. */
  process(value: unknown): unknown {
    const { value: redacted, changed } = this.redact(value);
    return isJsonObject(redacted) ? this.seal(redacted, changed) : redacted;
  }

  /** Applies the integrity handling to a record (the integrity header too). */
  seal(record: Record<string, unknown>, changed: boolean): Record<string, unknown> {
    let out = record;
    if (this.integrity === 'removed') out = withoutFields(out, ['hash', 'prev_hash', 'signature']);
    else if (this.integrity === 'rechained' || changed) out = withoutFields(out, ['signature']);
    if (Object.hasOwn(record, 'signature') && !Object.hasOwn(out, 'signature')) this.signaturesRemoved++;
    if (this.integrity === 'rechained') out = this.rechainer.link(out === record && !changed ? { ...out } : out);
    return out;
  }
}
