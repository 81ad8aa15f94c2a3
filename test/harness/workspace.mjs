// A throwaway workspace for the integration and end-to-end runs: copies of the committed sample and fixtures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export function makeWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-ws-'));
  fs.copyFileSync(path.join(repoRoot, 'samples', 'sample.audit.jsonl'), path.join(dir, 'sample.audit.jsonl'));
  // The same records under a name that is not opened in AI Audit Lens by default ("Open With…").
  fs.copyFileSync(path.join(repoRoot, 'samples', 'sample.audit.jsonl'), path.join(dir, 'records.jsonl'));
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures'), dir, { recursive: true });
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
