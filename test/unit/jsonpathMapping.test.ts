// JSONPath mappings from a workspace `.auditlens.json`: the config parser and its messages, mapping records, the
// preview (first mapped records and paths that matched nothing), and threading the mappings through loadSources.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { mapValue } from '../../src/core/formats/mapValue';
import { mapWithJsonPath, parseMappingConfig, previewMapping, validateMappingConfig, type JsonPathMapping } from '../../src/core/formats/jsonpathMapping';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import type { SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(repo, 'test', 'fixtures', 'jsonpath');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const recordsFile = path.join(dir, expected.files.records);
const records = fs.readFileSync(recordsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const base = { fileIndex: 0, line: 1, byteOffset: 0, byteLength: 1 };

function config(): JsonPathMapping[] {
  const parsed = parseMappingConfig(fs.readFileSync(path.join(dir, expected.files.config), 'utf8'));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('\n'));
  return parsed.config.mappings;
}

function errorsOf(value: unknown): string[] {
  const r = validateMappingConfig(value);
  assert.ok(!r.ok, 'expected the config to be refused');
  return r.errors;
}

describe('JSONPath mapping config (.auditlens.json)', () => {
  it('accepts the example config', () => {
    const [m] = config();
    assert.equal(m.name, 'acme-chat');
    assert.equal(m.match, '$.meta.app');
    assert.equal(m.kind, 'llm');
    assert.equal(m.fields.inputTokens, '$.usage.in');
  });

  it('says clearly what is wrong, and where', () => {
    assert.deepEqual(parseMappingConfig('{"mappings": [').ok, false);
    assert.match((parseMappingConfig('{"mappings": [') as { errors: string[] }).errors[0], /^\.auditlens\.json is not valid JSON: /);
    assert.deepEqual(errorsOf([]), ['.auditlens.json must hold a JSON object like {"mappings": [...]}']);
    assert.deepEqual(errorsOf({ mapping: [] }), ['"mappings" must be an array of mappings ({"name", "match", "fields"})']);
    assert.deepEqual(errorsOf({ mappings: [{ match: '$.a', fields: { ts: '$.t' } }] }), ['mappings[0].name is required: a short text shown as the dialect "jsonpath:<name>"']);
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', fields: { ts: '$.t' } }] }), ['mappings[0] ("a").match is required: a JSONPath that finds something only in the records this mapping is for']);
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', match: 'meta.app', fields: { ts: '$.t' } }] }), ['mappings[0] ("a").match "meta.app" is not a JSONPath: it must start with "$" (e.g. "$.meta.app")']);
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', match: '$.a', fields: { tokens: '$.t' } }] })[0].split(';')[0], 'mappings[0] ("a").fields.tokens is not a normalized field');
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', match: '$.a', fields: { inputTokens: 'usage.in' } }] }), ['mappings[0] ("a").fields.inputTokens "usage.in" is not a JSONPath: it must start with "$" (e.g. "$.usage.in")']);
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', match: '$.a', fields: { ts: '$.history[0' } }] }), ['mappings[0] ("a").fields.ts "$.history[0" has unbalanced brackets, parentheses or quotes']);
    assert.match(errorsOf({ mappings: [{ name: 'a', match: '$.a', fields: { messages: '$.h[?(@.role==)]' } }] })[0], /^mappings\[0\] \("a"\)\.fields\.messages "\$\.h\[\?\(@\.role==\)\]" is not a valid JSONPath: /);
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', match: '$.a', fields: { ts: 5 } }] }), ['mappings[0] ("a").fields.ts must be a JSONPath string (found number)']);
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', match: '$.a', kind: 'chat', fields: { ts: '$.t' } }] })[0].slice(0, 40), 'mappings[0] ("a").kind must be one of ll');
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', match: '$.a', fields: {} }] }), ['mappings[0] ("a").fields is empty: map at least one field']);
    assert.deepEqual(errorsOf({ mappings: [{ name: 'a', match: '$.a', fields: { ts: '$.t' }, filter: 1 }] }), ['mappings[0] ("a").filter is not a mapping property (name, match, kind, fields)']);
    const two = errorsOf({ mappings: [{ name: 'a', match: '$.a', fields: { ts: '$.t' } }, { name: 'a', match: 'x', fields: { ts: '$.t' } }] });
    assert.deepEqual(two, ['mappings[1].name "a" is used by an earlier mapping', 'mappings[1] ("a").match "x" is not a JSONPath: it must start with "$" (e.g. "$.x")']);
  });
});

describe('mapWithJsonPath', () => {
  it('fills the normalized fields from the record', () => {
    const [m] = config();
    const ev = mapWithJsonPath(records[0], m, { ...base, index: 0 });
    assert.deepEqual(
      [ev.kind, ev.type, ev.id, ev.ts, ev.latencyMs, ev.endTs, ev.sessionId, ev.userId, ev.requestModel, ev.provider, ev.inputTokens, ev.outputTokens, ev.costUsd, ev.status, ev.tags],
      ['llm', 'acme-chat', 'r-0001', '2025-06-01T10:00:00.000Z', 812, '2025-06-01T10:00:00.812Z', 'conv-01', 'u-alice', 'gpt-4o-mini', 'openai', 120, 30, 0.000036, 'ok', ['support', 'auth']],
    );
    assert.equal(ev.content.system, 'You are the Acme chat helper.');
    assert.deepEqual(ev.content.input.map((x) => x.role), ['system', 'user']);
    assert.deepEqual(ev.content.output, [{ role: 'assistant', content: 'I have sent a reset link to your email.' }]);
    assert.equal(ev.preview, 'Reset my password please.');
    const failed = mapWithJsonPath(records[3], m, { ...base, index: 0 });
    assert.deepEqual([failed.status, failed.errorType, failed.errorMessage, failed.content.output.length], ['error', 'overloaded_error', 'Overloaded', 0]);
  });

  it('takes precedence in mapValue when its match applies; other records keep built-in detection', () => {
    const mappings = config();
    const a = mapValue(records[0], base, { mappings });
    assert.ok(a.ok && a.dialect === 'jsonpath:acme-chat');
    const b = mapValue(records[2], base, { mappings });
    assert.ok(b.ok && b.dialect === 'generic');
    const c = mapValue(records[0], base);
    assert.ok(c.ok && c.dialect === 'generic', 'without mappings the record is generic');
  });
});

describe('previewMapping', () => {
  it('returns the first mapped records and which paths matched nothing', () => {
    const [m] = config();
    const withTypos: JsonPathMapping = { ...m, fields: { ...m.fields, costUsd: '$.usage.cost', reasoningTokens: '$.usage.reasoning' } };
    const p = previewMapping(records, withTypos, 2);
    assert.equal(p.records, expected.records);
    assert.equal(p.matching, expected.mapped);
    assert.deepEqual(p.events.map((e) => e.id), ['r-0001', 'r-0002']);
    assert.deepEqual(p.unmatchedPaths, [
      { field: 'costUsd', path: '$.usage.cost' },
      { field: 'reasoningTokens', path: '$.usage.reasoning' },
    ]);
    assert.deepEqual(p.fields.find((f) => f.field === 'errorMessage'), { field: 'errorMessage', path: '$.err.msg', hits: 1 });
    const none = previewMapping(records, { ...m, match: '$.nothing' });
    assert.equal(none.matching, 0);
    assert.deepEqual(none.unmatchedPaths[0], { field: 'match', path: '$.nothing' });
    assert.equal(none.unmatchedPaths.length, 1 + Object.keys(m.fields).length);
  });
});

describe('loadSources with mappings', () => {
  it('maps the records its match applies to, shows the dialect jsonpath:<name>, and fills the store', async () => {
    const db = await openDatabase(wasm);
    const { store, summary } = await loadSources(db, [recordsFile], { mappings: config() });
    assert.equal(summary.skipped, 0);
    assert.deepEqual(summary.files[0].dialects, expected.dialects);
    assert.equal(summary.eventsByKind.llm, expected.calls);
    assert.equal(summary.inputTokens, expected.totals.inputTokens);
    assert.equal(summary.outputTokens, expected.totals.outputTokens);
    assert.ok(Math.abs((store.query('SELECT sum(cost_usd) FROM events').rows[0][0] as number) - expected.totals.loggedCostUsd) < 1e-12);
    assert.equal(summary.errors, expected.errors);
    assert.equal(summary.sessions, expected.sessions.count);
    assert.equal(summary.users, expected.users.count);
    assert.deepEqual(store.query('SELECT DISTINCT request_model FROM events WHERE request_model IS NOT NULL ORDER BY 1').rows.map((r: SqlValue[]) => r[0]), expected.models);
    db.close();
  });
});
