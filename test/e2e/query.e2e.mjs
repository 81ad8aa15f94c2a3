// The query console (read-only SQL with results in a virtualized grid; a write is refused with its reason) and
// the Findings tree.
import assert from 'node:assert/strict';
import path from 'node:path';
import { findWebviewFrame, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const name = 'query-and-findings';

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'sample.audit.jsonl');
  await quickOpen(page, 'sample.audit.jsonl');
  await findWebviewFrame(page, ['sample.audit.jsonl', 'Records read'], { state: 'loaded' });
  log('a read-only query fills the grid');
  await runCommand(page, 'AI Audit Lens: Open Query Console');
  let frame = await findWebviewFrame(page, ['Query: sample.audit.jsonl', 'Tables'], { state: 'loaded' });
  await frame.locator('#query-text').fill("SELECT request_model AS model, count(*) AS calls, round(sum(cost), 5) AS cost, max(latency_ms) AS slowest\nFROM events WHERE kind = 'llm' GROUP BY 1 ORDER BY cost DESC");
  await frame.locator('#query-text').press('Control+Enter');
  await frame.waitForFunction(() => document.getElementById('app').dataset.result === 'ok');
  const cells = await frame.evaluate(() => document.querySelectorAll('#grid .grid-body .grid-row').length);
  assert.equal(cells, 3, 'one row per model');
  await page.screenshot({ path: path.join(outDir, 'query-console.png') });
  log('a write is refused with its reason');
  await frame.locator('#query-text').fill('DELETE FROM events');
  await frame.locator('#query-text').press('Control+Enter');
  await frame.waitForFunction(() => document.getElementById('app').dataset.result === 'error');
  assert.match(await frame.evaluate(() => document.querySelector('#grid .error-box').innerText), /DELETE/i);
  log('findings in the sidebar');
  await runCommand(page, 'AI Audit Lens: Run Findings');
  const row = page.locator('.pane-body .monaco-list-row', { hasText: 'injection' }).first();
  await row.waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(outDir, 'findings-tree.png') });
}
