// Integrity: the committed sample verifies; a copy with one modified record is reported as tampered at that line,
// with a Problems-panel entry and a status-bar verdict.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findWebviewFrame, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const name = 'integrity';
const TAMPERED_LINE = 20;

export function prepare(workspace) {
  const lines = fs.readFileSync(path.join(workspace, 'sample.audit.jsonl'), 'utf8').split('\n');
  const rec = JSON.parse(lines[TAMPERED_LINE - 1]);
  rec.user_id = 'u_mallory'; // changed after the fact, hash left as it was
  lines[TAMPERED_LINE - 1] = JSON.stringify(rec);
  fs.writeFileSync(path.join(workspace, 'tampered.audit.jsonl'), lines.join('\n'));
}

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'sample.audit.jsonl');
  log('the sample verifies');
  await quickOpen(page, 'sample.audit.jsonl');
  let frame = await findWebviewFrame(page, ['sample.audit.jsonl', 'Records read'], { state: 'loaded' });
  await frame.locator('#verify-integrity').click();
  let report = await findWebviewFrame(page, ['Integrity: sample.audit.jsonl', 'What the verdict rests on'], { state: 'loaded' });
  assert.equal(await report.evaluate(() => document.getElementById('app').dataset.verdict), 'verified');
  await page.locator('.statusbar-item', { hasText: 'Verified' }).first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: path.join(outDir, 'integrity-verified.png') });

  log('a modified record is found at its line');
  await quickOpen(page, 'tampered.audit.jsonl');
  frame = await findWebviewFrame(page, ['tampered.audit.jsonl', 'Records read'], { state: 'loaded' });
  await runCommand(page, 'AI Audit Lens: Verify Integrity');
  report = await findWebviewFrame(page, ['Integrity: tampered.audit.jsonl', 'Findings'], { state: 'loaded' });
  assert.equal(await report.evaluate(() => document.getElementById('app').dataset.verdict), 'tampered');
  const first = await report.evaluate(() => document.querySelector('#findings tr:nth-child(2)').innerText);
  assert.match(first, /modified/);
  assert.match(first, new RegExp(`\\b${TAMPERED_LINE}\\b`));
  await page.locator('.statusbar-item', { hasText: 'Tampered' }).first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: path.join(outDir, 'integrity-tampered.png') });
}
