// From a logged prompt to its code and back: "Go to Source" from the event detail opens the file at the line;
// the file then shows a CodeLens with the audit figures of the calls it produced.
import assert from 'node:assert/strict';
import path from 'node:path';
import { findWebviewFrame, quickOpen, waitForWorkbench } from './workbench.mjs';

export const name = 'source-links';

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'source-workspace');
  await quickOpen(page, 'calls.audit.jsonl');
  await page.waitForTimeout(500);
  // .audit.jsonl opens in AI Audit Lens by default.
  const frame = await findWebviewFrame(page, ['calls.audit.jsonl', 'Records read'], { state: 'loaded' });
  log('Go to Source from the event detail of a call logged with its code location');
  await frame.locator('#records vscode-table-row', { hasText: 'llm.call' }).first().click();
  await frame.waitForSelector('#detail:not([hidden]) #go-to-source');
  await frame.locator('#go-to-source').click();
  await page.locator('.tabs-container .tab', { hasText: 'bot.ts' }).first().waitFor({ timeout: 20_000 });
  log('the CodeLens above the template shows what its calls cost');
  const lens = page.locator('.codelens-decoration', { hasText: 'AI Audit:' }).first();
  await lens.waitFor({ timeout: 30_000 });
  assert.match(await lens.innerText(), /AI Audit: \d+ calls? · /);
  await page.screenshot({ path: path.join(outDir, 'source-codelens.png') });
}
