// Dialect detection across every fixture: each file gets its own dialect, and no record is recognised by a detector
// other than its own (the detectors are checked one by one, not only through mapValue's order).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isAuditLensRecord } from '../../src/core/formats/auditlens';
import { isBedrockInvocationLog } from '../../src/core/formats/bedrock';
import { isLangfuseIngestion, isLangfuseObservation, isLangfuseTrace } from '../../src/core/formats/langfuse';
import { isLangSmithRun } from '../../src/core/formats/langsmith';
import { isLiteLlmAuditLog, isLiteLlmPayload, isLiteLlmSpendLog } from '../../src/core/formats/litellm';
import { mapValue } from '../../src/core/formats/mapValue';
import { isOpenAiBatchInput, isOpenAiBatchOutput } from '../../src/core/formats/openaiBatch';
import { isOtlpLogs, isOtlpTraces } from '../../src/core/formats/otlp';
import type { Json } from '../../src/core/formats/values';
import { detectFormat } from '../../src/core/ingest/detectFormat';
import { isGzipFile } from '../../src/core/ingest/lineReader';
import { READERS } from '../../src/core/ingest/readers';

const repo = path.resolve(__dirname, '..', '..', '..');
const fx = (p: string) => path.join(repo, 'test', 'fixtures', p);

/** Each file and the dialects (with record counts) its records must get. */
const FILES: [string, Record<string, number>][] = [
  [path.join(repo, 'samples', 'sample.audit.jsonl'), { auditlens: 149 }],
  [fx('sample.audit.json'), { auditlens: 149 }],
  [fx('sample.audit.csv'), { auditlens: 149 }],
  [fx('otel/traces.otlp.jsonl'), { 'otlp-traces': 3 }],
  [fx('otel/logs.otlp.jsonl'), { 'otlp-logs': 3 }],
  [fx('otel/traces.responses.otlp.jsonl'), { 'otlp-traces': 3 }],
  [fx('otel/logs.responses.otlp.jsonl'), { 'otlp-logs': 3 }],
  [fx('openinference/traces.openinference.otlp.jsonl'), { openinference: 4 }],
  [fx('traceloop/traces.traceloop.otlp.jsonl'), { traceloop: 3 }],
  [fx('traceloop/traces.traceloop-0.22.otlp.jsonl'), { traceloop: 3 }],
  [fx('langfuse/ingestion.jsonl'), { 'langfuse-ingestion': 4 }],
  [fx('langfuse/export/observations.json'), { 'langfuse-observation': 8 }],
  [fx('langfuse/export/observations.csv'), { 'langfuse-observation': 8 }],
  [fx('langfuse/export/traces.jsonl'), { 'langfuse-trace': 4 }],
  [fx('langfuse/export/traces.csv'), { 'langfuse-trace': 4 }],
  [fx('bedrock/model-invocations.json.gz'), { bedrock: 8 }],
  [fx('openai-batch/batch_input.jsonl'), { 'openai-batch-input': 6 }],
  [fx('openai-batch/batch_output.jsonl'), { 'openai-batch-output': 4 }],
  [fx('openai-batch/batch_errors.jsonl'), { 'openai-batch-output': 2 }],
  [fx('litellm/standard_logging_payloads.jsonl'), { 'litellm-payload': 6 }],
  [fx('litellm/spend_logs.json'), { 'litellm-spend-log': 6 }],
  [fx('litellm/spend_logs.csv'), { 'litellm-spend-log': 6 }],
  [fx('litellm/audit_logs.csv'), { 'litellm-audit-log': 4 }],
  [fx('langsmith/runs.jsonl'), { 'langsmith-run': 10 }],
  [fx('langsmith/runs.json'), { 'langsmith-run': 10 }],
  [fx('jsonpath/acme-chat.jsonl'), { generic: 5 }],
];

/** Every shape detector, by the dialect it stands for. */
const DETECTORS: [string, (v: Json) => boolean][] = [
  ['auditlens', isAuditLensRecord],
  ['bedrock', isBedrockInvocationLog],
  ['otlp-traces', isOtlpTraces],
  ['otlp-logs', isOtlpLogs],
  ['langfuse-ingestion', isLangfuseIngestion],
  ['langfuse-observation', isLangfuseObservation],
  ['langfuse-trace', isLangfuseTrace],
  ['openai-batch-input', isOpenAiBatchInput],
  ['openai-batch-output', isOpenAiBatchOutput],
  ['litellm-payload', isLiteLlmPayload],
  ['litellm-spend-log', isLiteLlmSpendLog],
  ['litellm-audit-log', isLiteLlmAuditLog],
  ['langsmith-run', isLangSmithRun],
];
const OTLP_FAMILY = new Set(['otlp-traces', 'openinference', 'traceloop']);

async function valuesOf(file: string): Promise<unknown[]> {
  const detection = await detectFormat(file, path.basename(file), isGzipFile(file));
  const out: unknown[] = [];
  for await (const ev of READERS[detection.format](file)) if (ev.kind === 'value') out.push(ev.value);
  return out;
}

describe('dialect detection across all fixtures', () => {
  for (const [file, want] of FILES) {
    it(`${path.relative(repo, file)} → ${Object.keys(want).join(', ')}`, async () => {
      assert.ok(fs.existsSync(file), file);
      const got: Record<string, number> = {};
      for (const value of await valuesOf(file)) {
        const mapped = mapValue(value, { fileIndex: 0, line: 1, byteOffset: 0, byteLength: 1 });
        assert.ok(mapped.ok);
        got[mapped.dialect] = (got[mapped.dialect] ?? 0) + 1;
        // No other detector claims the record.
        const claims = DETECTORS.filter(([, is]) => is(value as Json)).map(([d]) => d);
        const own = OTLP_FAMILY.has(mapped.dialect) ? 'otlp-traces' : mapped.dialect;
        assert.deepEqual(claims, own === 'generic' ? [] : [own], `${path.basename(file)}: claimed by ${claims.join(', ')}`);
      }
      assert.deepEqual(got, want);
    });
  }
});
