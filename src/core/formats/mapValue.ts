// Turns one value read from an export into normalized events, choosing the mapping by the value's shape, so a
// file may mix dialects (the OTel collector writes traces and logs into one file).
import type { NormalizedEvent, Provenance } from '../model/normalized';
import { isAuditLensRecord, mapAuditLensRecord } from './auditlens';
import { isBedrockInvocationLog, mapBedrockInvocationLog } from './bedrock';
import { isLangfuseIngestion, isLangfuseObservation, isLangfuseTrace, mapLangfuseIngestion, mapLangfuseObservation, mapLangfuseTraceRecord } from './langfuse';
import { findMapping, mapWithJsonPath, type JsonPathMapping } from './jsonpathMapping';
import { isLangSmithRun, mapLangSmithRunTree } from './langsmith';
import { isLiteLlmAuditLog, isLiteLlmPayload, isLiteLlmSpendLog, mapLiteLlmAuditLog, mapLiteLlmPayload, mapLiteLlmSpendLog } from './litellm';
import { isOpenAiBatchInput, isOpenAiBatchOutput, mapOpenAiBatchInput, mapOpenAiBatchOutput } from './openaiBatch';
import { isOtlpLogs, isOtlpTraces, mapOtlpLogs, mapOtlpTracesWithDialect } from './otlp';
import { obj } from './values';

export type Dialect =
  | 'auditlens'
  | 'otlp-traces'
  | 'otlp-logs'
  | 'openinference'
  | 'traceloop'
  | 'langfuse-ingestion'
  | 'langfuse-trace'
  | 'langfuse-observation'
  | 'bedrock'
  | 'openai-batch-input'
  | 'openai-batch-output'
  | 'litellm-payload'
  | 'litellm-spend-log'
  | 'litellm-audit-log'
  | 'langsmith-run'
  | 'generic'
  | `jsonpath:${string}`;

export type Mapped = { ok: true; dialect: Dialect; events: NormalizedEvent[] } | { ok: false; reason: string };

export interface MapOptions {
  /** User mappings (from `.auditlens.json`): the first whose `match` applies wins over built-in detection. */
  mappings?: readonly JsonPathMapping[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Never throws, whatever the value: a value a mapper cannot handle (e.g. nested too deep for one of its recursive
 * steps or for JSON.stringify: hostile input) is not mapped, with the reason, so it is skipped and its neighbours load.
 */
export function mapValue(value: unknown, base: Omit<Provenance, 'index'>, options: MapOptions = {}): Mapped {
  try {
    return mapValueUnguarded(value, base, options);
  } catch (err) {
    return { ok: false, reason: `the value could not be mapped (${err instanceof Error ? err.message : String(err)})` };
  }
}

function mapValueUnguarded(value: unknown, base: Omit<Provenance, 'index'>, options: MapOptions): Mapped {
  const o = obj(value);
  if (!o) return { ok: false, reason: `not a JSON object (found ${describe(value)})` };
  if (options.mappings?.length) {
    const mapping = findMapping(o, options.mappings);
    if (mapping) return { ok: true, dialect: `jsonpath:${mapping.name}`, events: [mapWithJsonPath(o, mapping, { ...base, index: 0 })] };
  }
  // Values that say what they are first, then containers of many events, then records recognised by the field
  // names only their source uses together (each check is documented in docs/schema.md); anything else is generic.
  if (isAuditLensRecord(o)) return { ok: true, dialect: 'auditlens', events: [mapAuditLensRecord(o, { ...base, index: 0 })] };
  if (isBedrockInvocationLog(o)) return { ok: true, dialect: 'bedrock', events: [mapBedrockInvocationLog(o, { ...base, index: 0 })] };
  if (isOtlpTraces(o)) {
    const { events, dialect } = mapOtlpTracesWithDialect(o, base);
    return { ok: true, dialect, events };
  }
  if (isOtlpLogs(o)) return { ok: true, dialect: 'otlp-logs', events: mapOtlpLogs(o, base) };
  if (isLangfuseIngestion(o)) return { ok: true, dialect: 'langfuse-ingestion', events: mapLangfuseIngestion(o, base) };
  if (isLangfuseObservation(o)) return { ok: true, dialect: 'langfuse-observation', events: [mapLangfuseObservation(o, String(o.type), { ...base, index: 0 })] };
  if (isLangfuseTrace(o)) return { ok: true, dialect: 'langfuse-trace', events: mapLangfuseTraceRecord(o, base) };
  if (isOpenAiBatchInput(o)) return { ok: true, dialect: 'openai-batch-input', events: [mapOpenAiBatchInput(o, { ...base, index: 0 })] };
  if (isOpenAiBatchOutput(o)) return { ok: true, dialect: 'openai-batch-output', events: [mapOpenAiBatchOutput(o, { ...base, index: 0 })] };
  if (isLiteLlmPayload(o)) return { ok: true, dialect: 'litellm-payload', events: [mapLiteLlmPayload(o, { ...base, index: 0 })] };
  if (isLiteLlmSpendLog(o)) return { ok: true, dialect: 'litellm-spend-log', events: [mapLiteLlmSpendLog(o, { ...base, index: 0 })] };
  if (isLiteLlmAuditLog(o)) return { ok: true, dialect: 'litellm-audit-log', events: [mapLiteLlmAuditLog(o, { ...base, index: 0 })] };
  if (isLangSmithRun(o)) return { ok: true, dialect: 'langsmith-run', events: mapLangSmithRunTree(o, base) };
  return { ok: true, dialect: 'generic', events: [mapAuditLensRecord(o, { ...base, index: 0 })] };
}
