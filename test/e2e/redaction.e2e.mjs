// Redaction: "Scan for PII and Secrets" lists what the detectors found; a record shows original and redacted side
// by side with the values highlighted.
import assert from 'node:assert/strict';
import path from 'node:path';
import { findWebviewFrame, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const name = 'redaction-preview';

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'sample.audit.jsonl');
  await quickOpen(page, 'sample.audit.jsonl');
  await findWebviewFrame(page, ['sample.audit.jsonl', 'Records read'], { state: 'loaded' });
  log('scan the sample');
  await runCommand(page, 'AI Audit Lens: Scan for PII and Secrets');
  const frame = await findWebviewFrame(page, ['Redaction preview', 'Records with findings'], { state: 'loaded' });
  const summary = await frame.evaluate(() => document.querySelector('.summary-line').innerText);
  assert.match(summary, /credit_card/);
  log('preview one record: original and redacted, values highlighted');
  await frame.locator('#pii-records a.line-link').first().click();
  await frame.waitForSelector('#pii-preview:not([hidden]) mark');
  const redacted = await frame.evaluate(() => document.querySelectorAll('#pii-preview .side')[1].innerText);
  assert.match(redacted, /\[[A-Z_]+_\d+\]/);
  await page.screenshot({ path: path.join(outDir, 'redaction-preview.png') });
  log('the overview says how many records hold PII');
  await page.locator('.tabs-container .tab', { hasText: 'sample.audit.jsonl' }).first().click();
  const overview = await findWebviewFrame(page, ['sample.audit.jsonl', 'PII and secrets:'], { state: 'loaded' });
  assert.match(await overview.evaluate(() => document.querySelector('.annotations').innerText), /PII and secrets: \d+ values in \d+ records/);
}
