#!/usr/bin/env node
// Writes test/fixtures/litellm/ from LiteLLM's published types and database schema (see README.md for sources):
//   standard_logging_payloads.jsonl  one StandardLoggingPayload per line, as LiteLLM's bucket loggers (s3, gcs) and a
//                                    custom callback writing kwargs["standard_logging_object"] produce them
//   spend_logs.json                  the same calls as LiteLLM_SpendLogs rows, as the proxy's /spend/logs API returns them
//   spend_logs.csv                   the same rows exported from Postgres (psql \copy … CSV HEADER: naive UTC times, JSON cells)
//   audit_logs.csv                   LiteLLM_AuditLog rows (key, team, model and user changes)
//   expected.json                    what was generated
//
//   node tools/litellm-fixtures/generate.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(HERE, '../../test/fixtures/litellm');
const T0 = Date.parse('2025-04-02T14:00:00.000Z') / 1000;
const SYSTEM = 'You are the Acme shipping assistant.';
const KEY_HASH = '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b';

function chatResponse(id, model, text, usage, created) {
  return {
    id, created, model, object: 'chat.completion', system_fingerprint: 'fp_fixture01',
    choices: [{ finish_reason: 'stop', index: 0, message: { content: text, role: 'assistant', tool_calls: null, function_call: null } }],
    usage: { completion_tokens: usage.completion, prompt_tokens: usage.prompt, total_tokens: usage.prompt + usage.completion, ...(usage.cached !== undefined ? { prompt_tokens_details: { cached_tokens: usage.cached } } : {}) },
  };
}

/** One call as the scenario defines it; the payload and the spend-log row are both derived from it. */
const CALLS = [
  {
    id: 'chatcmpl-ll-0001', trace: 'trace-ll-0001', session: 'll-sess-0001', endUser: 'cust-001', callType: 'acompletion',
    model: 'gpt-4o-mini', group: 'support-default', provider: 'openai', at: 0, ms: 820, ttft: 310,
    messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Where is parcel PX-1001?' }],
    text: 'Parcel PX-1001 is at the Leeds depot and will be delivered tomorrow.', usage: { prompt: 120, completion: 30, cached: 0 }, cost: 0.000036,
    params: { temperature: 0.2, max_tokens: 256 }, tags: ['support', 'web'],
  },
  {
    id: 'chatcmpl-ll-0002', trace: 'trace-ll-0002', session: 'll-sess-0001', endUser: 'cust-001', callType: 'acompletion',
    model: 'gpt-4o-mini', group: 'support-default', provider: 'openai', at: 60, ms: 12, ttft: 12, cacheHit: true,
    messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Where is parcel PX-1001?' }],
    text: 'Parcel PX-1001 is at the Leeds depot and will be delivered tomorrow.', usage: { prompt: 120, completion: 30 }, cost: 0,
    params: { temperature: 0.2, max_tokens: 256 }, tags: ['support', 'web'],
  },
  {
    id: 'emb-ll-0003', trace: 'trace-ll-0003', session: 'll-sess-0001', endUser: 'cust-001', callType: 'aembedding',
    model: 'text-embedding-3-small', group: 'embeddings', provider: 'openai', at: 65, ms: 95,
    messages: ['parcel delayed at depot'], usage: { prompt: 6, completion: 0 }, cost: 0.00000012, tags: ['search'],
  },
  {
    id: 'chatcmpl-ll-0004', trace: 'trace-ll-0004', session: 'll-sess-0002', endUser: 'cust-002', callType: 'acompletion',
    model: 'claude-3-5-haiku-20241022', group: 'claude-fast', provider: 'anthropic', at: 300, ms: 1430, ttft: 520,
    messages: [{ role: 'user', content: 'Can I redirect a parcel to a pickup point?' }],
    text: 'Yes: open the tracking page and choose "Deliver to a pickup point" before 8 pm.', usage: { prompt: 22, completion: 25, cached: 0 }, cost: 0.000118,
    params: { max_tokens: 400 }, tags: ['support'],
  },
  // A rate-limited call and the router's fallback to another deployment: one LiteLLM trace, two calls.
  {
    id: 'chatcmpl-ll-0005', trace: 'trace-ll-0005', session: 'll-sess-0002', endUser: 'cust-002', callType: 'acompletion',
    model: 'gpt-4o', group: 'support-premium', provider: 'openai', at: 400, ms: 240, failure: { code: '429', cls: 'RateLimitError', message: 'litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for gpt-4o in organization org-fixture on tokens per min (TPM).' },
    messages: [{ role: 'user', content: 'Summarize my open claims.' }], usage: { prompt: 0, completion: 0 }, cost: 0, tags: ['support'],
  },
  {
    id: 'chatcmpl-ll-0006', trace: 'trace-ll-0005', session: 'll-sess-0002', endUser: 'cust-002', callType: 'acompletion',
    model: 'azure/gpt-4o-eu', group: 'support-premium', provider: 'azure', at: 401, ms: 1900, ttft: 650,
    messages: [{ role: 'user', content: 'Summarize my open claims.' }],
    text: 'You have one open claim (CL-88) for a damaged parcel, awaiting photos.', usage: { prompt: 15, completion: 17, cached: 0 }, cost: 0.0002075,
    params: {}, tags: ['support', 'fallback'],
  },
];

const meta = (c) => ({
  user_api_key_hash: KEY_HASH, user_api_key_alias: 'support-bot-prod', user_api_key_team_id: 'team-support', user_api_key_user_id: 'svc-support-bot',
  user_api_key_team_alias: 'support', user_api_key_org_id: null, user_api_key_end_user_id: c.endUser,
  spend_logs_metadata: { session_id: c.session, channel: 'web' }, requester_ip_address: '203.0.113.7', requester_metadata: {}, applied_guardrails: [],
});

function payload(c) {
  const start = T0 + c.at;
  const end = start + c.ms / 1000;
  const failed = Boolean(c.failure);
  const isEmbedding = c.callType.includes('embedding');
  const response = failed ? null : isEmbedding ? { object: 'list', model: c.model, data: [{ object: 'embedding', index: 0, embedding: [-0.0123, 0.0456, 0.0789] }], usage: { prompt_tokens: c.usage.prompt, total_tokens: c.usage.prompt } } : chatResponse(c.id, c.model.replace(/^azure\//, ''), c.text, c.usage, Math.floor(start));
  return {
    id: c.id, trace_id: c.trace, call_type: c.callType, stream: false,
    response_cost: c.cost, cost_breakdown: failed ? null : { input_cost: c.cost * 0.4, output_cost: c.cost * 0.6, total_cost: c.cost, tool_usage_cost: 0 },
    response_cost_failure_debug_info: null,
    status: failed ? 'failure' : 'success',
    status_fields: { llm_api_status: failed ? 'failure' : 'success', guardrail_status: 'not_run' },
    custom_llm_provider: c.provider,
    total_tokens: c.usage.prompt + c.usage.completion, prompt_tokens: c.usage.prompt, completion_tokens: c.usage.completion,
    startTime: start, endTime: end, completionStartTime: c.ttft !== undefined ? start + c.ttft / 1000 : end, response_time: (c.ttft ?? c.ms) / 1000,
    model_map_information: { model_map_key: c.model.replace(/^azure\//, ''), model_map_value: null },
    model: c.model, model_id: `deployment-${c.group}`, model_group: c.group, api_base: c.provider === 'azure' ? 'https://acme-eu.openai.azure.com' : c.provider === 'anthropic' ? 'https://api.anthropic.com' : 'https://api.openai.com/v1',
    metadata: meta(c), cache_hit: c.cacheHit ?? false, cache_key: c.cacheHit ? 'c7a1f0e2d3b4' : null, saved_cache_cost: c.cacheHit ? 0.000036 : 0,
    request_tags: c.tags, end_user: c.endUser, requester_ip_address: '203.0.113.7',
    messages: c.messages, response,
    error_str: failed ? c.failure.message : null,
    error_information: failed ? { error_code: c.failure.code, error_class: c.failure.cls, llm_provider: c.provider, traceback: '', error_message: c.failure.message } : null,
    model_parameters: c.params ?? {},
    hidden_params: { model_id: `deployment-${c.group}`, cache_key: null, api_base: null, response_cost: String(c.cost), litellm_overhead_time_ms: 3.2, additional_headers: null, batch_models: null, litellm_model_name: c.model, usage_object: null },
    guardrail_information: null, standard_built_in_tools_params: null,
  };
}

const iso = (s) => new Date(Math.round(s * 1000)).toISOString();
function spendRow(c) {
  const p = payload(c);
  return {
    request_id: c.id, call_type: c.callType, api_key: KEY_HASH, spend: c.cost,
    total_tokens: p.total_tokens, prompt_tokens: p.prompt_tokens, completion_tokens: p.completion_tokens,
    startTime: iso(p.startTime), endTime: iso(p.endTime), completionStartTime: iso(p.completionStartTime),
    model: c.model, model_id: p.model_id, model_group: c.group, custom_llm_provider: c.provider, api_base: p.api_base,
    user: 'svc-support-bot', metadata: { ...p.metadata, status: p.status, ...(p.error_information ? { error_information: p.error_information } : {}) },
    cache_hit: c.cacheHit ? 'True' : 'False', cache_key: p.cache_key ?? 'Cache OFF', request_tags: c.tags,
    team_id: 'team-support', organization_id: null, end_user: c.endUser, requester_ip_address: '203.0.113.7',
    messages: {}, response: {}, session_id: c.session, status: p.status, mcp_namespaced_tool_name: null, proxy_server_request: {},
  };
}

// psql \copy (SELECT …) TO … CSV HEADER: timestamps without time zone (LiteLLM stores UTC), JSON as text, NULL as empty.
function toCsv(rows) {
  const cols = Object.keys(rows[0]);
  const cell = (v, col) => {
    if (v === null || v === undefined) return '';
    let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (/Time$|_at$/.test(col) && /^\d{4}-\d\d-\d\dT/.test(s)) s = s.replace('T', ' ').replace(/Z$/, '');
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c], c)).join(','))].join('\n') + '\n';
}

const AUDIT = [
  { id: 'a1e0c5b2-0001-4c8e-9a51-000000000001', updated_at: '2025-04-02T13:00:00.000Z', changed_by: 'admin-alice', changed_by_api_key: KEY_HASH.replace(/^88/, '11'), action: 'created', table_name: 'LiteLLM_VerificationToken', object_id: 'sk-...Xb2k', before_value: null, updated_values: { key_alias: 'support-bot-prod', models: ['support-default', 'claude-fast'], max_budget: 50, team_id: 'team-support' } },
  { id: 'a1e0c5b2-0002-4c8e-9a51-000000000002', updated_at: '2025-04-02T13:05:00.000Z', changed_by: 'admin-alice', changed_by_api_key: KEY_HASH.replace(/^88/, '11'), action: 'updated', table_name: 'LiteLLM_TeamTable', object_id: 'team-support', before_value: { max_budget: 100, tpm_limit: 100000 }, updated_values: { max_budget: 250, tpm_limit: 200000 } },
  { id: 'a1e0c5b2-0003-4c8e-9a51-000000000003', updated_at: '2025-04-02T13:20:00.000Z', changed_by: 'ops-bob', changed_by_api_key: KEY_HASH.replace(/^88/, '22'), action: 'updated', table_name: 'LiteLLM_ProxyModelTable', object_id: 'deployment-support-premium', before_value: { model_name: 'support-premium', litellm_params: { model: 'gpt-4o', rpm: 500 } }, updated_values: { model_name: 'support-premium', litellm_params: { model: 'gpt-4o', rpm: 100, fallbacks: ['azure/gpt-4o-eu'] } } },
  { id: 'a1e0c5b2-0004-4c8e-9a51-000000000004', updated_at: '2025-04-02T15:00:00.000Z', changed_by: 'admin-alice', changed_by_api_key: KEY_HASH.replace(/^88/, '11'), action: 'deleted', table_name: 'LiteLLM_UserTable', object_id: 'former-contractor-7', before_value: { user_id: 'former-contractor-7', user_role: 'internal_user', spend: 3.2 }, updated_values: null },
];

fs.mkdirSync(OUT_DIR, { recursive: true });
const payloads = CALLS.map(payload);
const spend = CALLS.map(spendRow);
fs.writeFileSync(path.join(OUT_DIR, 'standard_logging_payloads.jsonl'), payloads.map((p) => JSON.stringify(p)).join('\n') + '\n');
fs.writeFileSync(path.join(OUT_DIR, 'spend_logs.json'), JSON.stringify(spend, null, 2) + '\n');
fs.writeFileSync(path.join(OUT_DIR, 'spend_logs.csv'), toCsv(spend));
fs.writeFileSync(path.join(OUT_DIR, 'audit_logs.csv'), toCsv(AUDIT));

const expected = {
  generator: 'tools/litellm-fixtures/generate.mjs',
  files: { payloads: 'standard_logging_payloads.jsonl', spendJson: 'spend_logs.json', spendCsv: 'spend_logs.csv', audit: 'audit_logs.csv' },
  calls: { total: CALLS.length, llm: CALLS.filter((c) => !c.callType.includes('embedding')).length, embedding: CALLS.filter((c) => c.callType.includes('embedding')).length, failed: CALLS.filter((c) => c.failure).length, cacheHits: CALLS.filter((c) => c.cacheHit).length },
  totals: {
    inputTokens: CALLS.reduce((s, c) => s + c.usage.prompt, 0),
    outputTokens: CALLS.reduce((s, c) => s + c.usage.completion, 0),
    loggedCostUsd: Math.round(CALLS.reduce((s, c) => s + c.cost, 0) * 1e12) / 1e12,
  },
  sessions: { count: new Set(CALLS.map((c) => c.session)).size, ids: [...new Set(CALLS.map((c) => c.session))] },
  users: { count: new Set(CALLS.map((c) => c.endUser)).size, ids: [...new Set(CALLS.map((c) => c.endUser))] },
  traces: new Set(CALLS.map((c) => c.trace)).size,
  modelGroups: [...new Set(CALLS.map((c) => c.group))].sort(),
  errors: CALLS.filter((c) => c.failure).map((c) => ({ id: c.id, errorClass: c.failure.cls, code: c.failure.code })),
  audit: {
    rows: AUDIT.length,
    actors: [...new Set(AUDIT.map((a) => a.changed_by))].sort(),
    changes: AUDIT.map((a) => ({ action: a.action, table: a.table_name, object: a.object_id, before: a.before_value !== null, after: a.updated_values !== null })),
  },
};
fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
console.log(`wrote ${payloads.length} payloads, ${spend.length} spend-log rows (JSON and CSV), ${AUDIT.length} audit rows`);
