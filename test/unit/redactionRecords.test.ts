import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Detector } from '../../src/core/redaction/detect';
import { FindingCounts } from '../../src/core/redaction/findingCounts';
import { RedactionContext } from '../../src/core/redaction/redact';
import { redactRecord, scanRecord } from '../../src/core/redaction/recordRedaction';
import { walkStrings } from '../../src/core/redaction/recordWalker';
import { isSkippedKey } from '../../src/core/redaction/scopeRules';

const repo = path.resolve(__dirname, '..', '..', '..');
const EMAIL = 'jane.doe@example.com';

/** An auditlens/1 record with a value in every content field. */
function projectRecord(): Record<string, unknown> {
  return {
    schema: 'auditlens/1',
    seq: 7,
    id: 'evt_000007',
    ts: '2026-11-02T08:00:07.213Z',
    type: 'llm.call',
    session_id: 'sess_1',
    user_id: 'jane@users.example.com',
    messages: [
      { role: 'system', content: `Escalate to ${EMAIL}` },
      { role: 'user', content: `I am ${EMAIL}` },
      { role: 'assistant', content: `Noted ${EMAIL}` },
      { role: 'tool', content: `looked up ${EMAIL}` },
    ],
    response: { role: 'assistant', content: `Reply to ${EMAIL}` },
    tool_calls: [{ name: 'lookup', arguments: { email: EMAIL, order_id: 'ORD-123456' }, result: { owner: EMAIL } }],
    retrieval: [{ document_id: 'doc_1', chunk_id: 'doc_1#1', score: 0.9, text: `Chunk about ${EMAIL}` }],
    detail: `metadata ${EMAIL}`,
    trace_id: EMAIL,
    created_at: EMAIL,
    prev_hash: EMAIL,
    hash: EMAIL,
    signature: EMAIL,
  };
}

describe('redaction over records', () => {
  it('reports the JSON path, field and scope of each finding in the project format', () => {
    const found = scanRecord(projectRecord(), new Detector()).map((f) => `${f.path} | ${f.field} | ${f.scope}`);
    assert.deepEqual(found, [
      'user_id | user_id | metadata',
      'messages[0].content | messages[].content | system',
      'messages[1].content | messages[].content | prompt',
      'messages[2].content | messages[].content | response',
      'messages[3].content | messages[].content | tool',
      'response.content | response.content | response',
      'tool_calls[0].arguments.email | tool_calls[].arguments.email | tool',
      'tool_calls[0].result.owner | tool_calls[].result.owner | tool',
      'retrieval[0].text | retrieval[].text | retrieval',
      'detail | detail | metadata',
    ]);
  });

  it('skips integrity fields, ids and timestamps by key name, but not user identifiers', () => {
    for (const k of ['hash', 'prev_hash', 'signature', 'id', 'seq', 'ts', 'session_id', 'trace_id', 'traceId', 'spanId', 'startTimeUnixNano', 'created_at', 'gen_ai.response.id', 'document_id']) assert.ok(isSkippedKey(k), k);
    for (const k of ['user_id', 'userId', 'user.id', 'actor', 'email', 'content', 'text', 'paid', 'birth_date', 'format']) assert.ok(!isSkippedKey(k), k);
  });

  it('redacts copy-on-write: the input record is unchanged, untouched branches are shared', () => {
    const input = projectRecord();
    const before = JSON.stringify(input);
    const { value, findings } = redactRecord(input, new Detector(), 'tag', new RedactionContext());
    assert.equal(JSON.stringify(input), before);
    const out = value as Record<string, any>;
    assert.equal(out.messages[1].content, 'I am [EMAIL_2]');
    assert.equal(out.hash, EMAIL, 'integrity fields are left for the copy logic');
    assert.equal(out.trace_id, EMAIL);
    assert.equal(findings.length, 10);
    const plain = { a: { b: 'nothing here' }, c: [1, 2] };
    assert.equal(redactRecord(plain, new Detector(), 'mask', new RedactionContext()).value, plain, 'nothing found: the same object');
  });

  it('scans integers of 7+ digits (CSV turns bare numbers into numbers) and replaces them by strings', () => {
    const { value } = redactRecord({ card: 4111111111111111, small: 42, price: 19.99 }, new Detector(), 'mask', new RedactionContext());
    assert.deepEqual(value, { card: '****', small: 42, price: 19.99 });
  });

  it('keeps a "__proto__" key an own property and never touches prototypes', () => {
    const input = JSON.parse(`{"__proto__": {"note": "${EMAIL}"}, "x": "${EMAIL}"}`) as Record<string, unknown>;
    const { value } = redactRecord(input, new Detector(), 'mask', new RedactionContext());
    const out = value as Record<string, unknown>;
    assert.ok(Object.hasOwn(out, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')!.value, { note: '****' });
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(({} as Record<string, unknown>).note, undefined);
  });

  it('walks OTLP spans: attribute keys name the fields, session.id gives the session, GenAI attributes the scope', () => {
    const span = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'abc',
                  attributes: [
                    { key: 'session.id', value: { stringValue: 'sess-0001' } },
                    { key: 'gen_ai.system_instructions', value: { stringValue: `Escalate to ${EMAIL}` } },
                    { key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify([{ role: 'user', content: EMAIL }]) } },
                    { key: 'gen_ai.tool.call.arguments', value: { stringValue: `{"email":"${EMAIL}"}` } },
                    { key: 'gen_ai.response.id', value: { stringValue: EMAIL } },
                    {
                      key: 'gen_ai.output.messages',
                      value: { arrayValue: { values: [{ kvlistValue: { values: [{ key: 'role', value: { stringValue: 'assistant' } }, { key: 'parts', value: { arrayValue: { values: [{ kvlistValue: { values: [{ key: 'type', value: { stringValue: 'tool_call' } }, { key: 'arguments', value: { stringValue: EMAIL } }] } }, { kvlistValue: { values: [{ key: 'type', value: { stringValue: 'text' } }, { key: 'content', value: { stringValue: EMAIL } }] } }] } } }] } }] } },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const found = scanRecord(span, new Detector());
    assert.deepEqual(
      found.map((f) => `${f.field} | ${f.scope} | ${f.sessionId}`),
      [
        'resourceSpans[].scopeSpans[].spans[].attributes["gen_ai.system_instructions"] | system | sess-0001',
        'resourceSpans[].scopeSpans[].spans[].attributes["gen_ai.input.messages"] | prompt | sess-0001',
        'resourceSpans[].scopeSpans[].spans[].attributes["gen_ai.tool.call.arguments"] | tool | sess-0001',
        'resourceSpans[].scopeSpans[].spans[].attributes["gen_ai.output.messages"][].parts[].arguments | tool | sess-0001',
        'resourceSpans[].scopeSpans[].spans[].attributes["gen_ai.output.messages"][].parts[].content | response | sess-0001',
      ],
    );
    assert.equal(found[0].path, 'resourceSpans[0].scopeSpans[0].spans[0].attributes[1].value.stringValue');
    const { value } = redactRecord(span, new Detector(), 'mask', new RedactionContext());
    const attrs = (value as any).resourceSpans[0].scopeSpans[0].spans[0].attributes;
    assert.deepEqual(JSON.parse(attrs[2].value.stringValue), [{ role: 'user', content: '****' }], 'a JSON-string attribute stays valid JSON');
    assert.equal(attrs[4].value.stringValue, EMAIL, 'an id attribute is skipped');
  });

  it('the OTLP log fixtures: user messages are prompts (event name or gen_ai.input.messages)', () => {
    for (const file of ['logs.otlp.jsonl', 'logs.responses.otlp.jsonl']) {
      const lines = fs.readFileSync(path.join(repo, 'test', 'fixtures', 'otel', file), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const found = lines.flatMap((l) => scanRecord(JSON.parse(l), new Detector()));
      assert.ok(found.length > 0, file);
      assert.ok(found.every((f) => f.type === 'email' && f.value === EMAIL && f.scope === 'prompt'), file);
    }
  });

  it('counts per type, scope, field and session', () => {
    const counts = new FindingCounts();
    for (const f of scanRecord(projectRecord(), new Detector())) counts.add(f);
    scanRecord({ note: `call +1 555 013 4477 or ${EMAIL}` }, new Detector()).forEach((f) => counts.add(f));
    const t = counts.toJSON();
    assert.equal(t.total, 12);
    assert.deepEqual(t.byType, { email: 11, phone: 1 });
    assert.equal(t.byScope.metadata, 4);
    assert.equal(t.byField['messages[].content'], 4);
    assert.deepEqual(t.bySession, { sess_1: 10, '(no session)': 2 });
  });

  it('walkStrings visits every string once with a lazily built path', () => {
    const seen: string[] = [];
    walkStrings({ a: ['x', { 'b c': 'y' }], n: null, t: true }, (text, leaf) => {
      seen.push(`${leaf.path()}=${text}`);
      return undefined;
    });
    assert.deepEqual(seen, ['a[0]=x', 'a[1]["b c"]=y']);
  });
});
