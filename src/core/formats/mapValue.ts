// Turns one value read from an export into normalized events, choosing the mapping by the value's shape, so a
// file may mix dialects (the OTel collector writes traces and logs into one file).
import type { NormalizedEvent, Provenance } from '../model/normalized';
import { isAuditLensRecord, mapAuditLensRecord } from './auditlens';
import { isOtlpLogs, isOtlpTraces, mapOtlpLogs, mapOtlpTraces } from './otlp';
import { obj } from './values';

export type Dialect = 'auditlens' | 'otlp-traces' | 'otlp-logs' | 'generic';

export type Mapped = { ok: true; dialect: Dialect; events: NormalizedEvent[] } | { ok: false; reason: string };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function mapValue(value: unknown, base: Omit<Provenance, 'index'>): Mapped {
  const o = obj(value);
  if (!o) return { ok: false, reason: `not a JSON object (found ${describe(value)})` };
  if (isOtlpTraces(o)) return { ok: true, dialect: 'otlp-traces', events: mapOtlpTraces(o, base) };
  if (isOtlpLogs(o)) return { ok: true, dialect: 'otlp-logs', events: mapOtlpLogs(o, base) };
  return { ok: true, dialect: isAuditLensRecord(o) ? 'auditlens' : 'generic', events: [mapAuditLensRecord(o, { ...base, index: 0 })] };
}
