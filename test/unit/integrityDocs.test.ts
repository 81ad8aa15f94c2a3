// The "emitting a verifiable log" example of docs/integrity.md runs as written (node:crypto and canonicalize only,
// no project code), and the verifier accepts what it writes; then its output is cut and edited.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { verifyIntegrity } from '../../src/core/integrity/verify';

const repo = path.resolve(__dirname, '..', '..', '..');

function exampleCode(): string {
  const md = fs.readFileSync(path.join(repo, 'docs', 'integrity.md'), 'utf8');
  const m = /<!-- example: emit-verifiable-log -->\s*```js\n([\s\S]*?)```/.exec(md);
  assert.ok(m, 'docs/integrity.md has the example block');
  return m[1];
}

describe('integrity: the documented producer example', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-docs-'));
  before(() => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      new Function('require', exampleCode())(createRequire(path.join(repo, 'package.json')));
    } finally {
      process.chdir(cwd);
    }
  });

  it('writes a log that verifies with its public key and digest', async () => {
    const r = await verifyIntegrity(path.join(dir, 'audit.jsonl'), {
      publicKeys: [path.join(dir, 'audit.pub.pem')],
      digest: path.join(dir, 'audit.digest.json'),
    });
    assert.equal(r.verdict, 'verified', JSON.stringify(r.findings));
    assert.deepEqual(r.findings, []);
    assert.equal(r.records.chain, 2500);
    assert.equal(r.checkpoints.verified, 4, '3 checkpoints and the digest');
    assert.equal(r.profile?.name, 'jcs-sha256');
  });

  it('and the digest catches the log cut after its second checkpoint', async () => {
    const lines = fs.readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').trimEnd().split('\n');
    const cut = lines.slice(0, 2002);
    fs.writeFileSync(path.join(dir, 'cut.jsonl'), cut.join('\n') + '\n');
    const r = await verifyIntegrity(path.join(dir, 'cut.jsonl'), {
      publicKeys: [path.join(dir, 'audit.pub.pem')],
      digest: path.join(dir, 'audit.digest.json'),
    });
    assert.deepEqual(r.findings.map((f) => [f.line, f.class]), [[2002, 'truncated']]);
  });
});
