import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { generateSample } from '../../src/core/sample/generateSample';

const repo = path.resolve(__dirname, '..', '..', '..');

describe('published JSON Schema of the auditlens/1 record', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schema', 'auditlens-record.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('accepts every record the sample generator writes, and the example file', () => {
    for (const r of generateSample()) assert.ok(validate(r), `${r.id}: ${ajv.errorsText(validate.errors)}`);
    for (const line of fs.readFileSync(path.join(repo, 'schema', 'example.auditlens.jsonl'), 'utf8').trim().split('\n')) {
      assert.ok(validate(JSON.parse(line)), ajv.errorsText(validate.errors));
    }
  });

  it('rejects records that break it', () => {
    assert.equal(validate({ schema: 'auditlens/1', type: 'llm.call' }), false, 'ts is required');
    assert.equal(validate({ schema: 'auditlens/1', ts: 'yesterday', type: 'x' }), false, 'ts is a date-time');
    assert.equal(validate({ schema: 'auditlens/1', ts: '2026-01-01T00:00:00Z', type: 'x', usage: { input_tokens: -1 } }), false);
    assert.equal(validate({ schema: 'auditlens/1', ts: '2026-01-01T00:00:00Z', type: 'x', hash: 'abc' }), false);
  });
});
