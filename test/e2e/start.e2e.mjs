// The route `npm start` uses without desktop VS Code: a workbench URL whose payload opens the sample directly.
// The sample must come up in the AI Audit Lens editor with its records.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findWebviewFrame, waitForWorkbench } from './workbench.mjs';

export const name = 'start-url-opens-sample';

// What `npm start` sets too: code-server opens a payload's file before extensions register their editors,
// so the default editor is named explicitly.
export const settings = { 'workbench.editorAssociations': { '*.audit.jsonl': 'aiAuditLens.auditLog' } };

export const urlOptions = (workspace) => ({ openFile: path.join(workspace, 'sample.audit.jsonl') });

export async function run({ page, workspace, outDir, log }) {
  const expected = fs.readFileSync(path.join(workspace, 'sample.audit.jsonl'), 'utf8').trim().split('\n').length;
  await waitForWorkbench(page);
  log('the sample opens by itself in the AI Audit Lens editor');
  const frame = await findWebviewFrame(page, ['sample.audit.jsonl', 'Records read'], { state: 'loaded' });
  const records = await frame.evaluate(() => document.querySelector('#stats .stat .stat-value')?.textContent);
  assert.equal(records, expected.toLocaleString('en-US'));
  const tab = await page.locator('.tabs-container .tab.active').innerText();
  assert.match(tab.replace(/\s+/g, ''), /sample\.audit\.jsonl/);
  await page.screenshot({ path: path.join(outDir, 'start-url.png') });
}
