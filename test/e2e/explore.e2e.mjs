// Explore: the Sessions tree in the activity bar, a session timeline (span waterfall, retrieved chunks), the
// filter bar, and the token and cost charts in the light and the dark theme.
import assert from 'node:assert/strict';
import path from 'node:path';
import { findWebviewFrame, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const name = 'explore';

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'sample.audit.jsonl');
  await quickOpen(page, 'sample.audit.jsonl');
  let overview = await findWebviewFrame(page, ['sample.audit.jsonl', 'Records read'], { state: 'loaded' });

  log('the Sessions tree lists the sessions of the focused export, grouped by user');
  await page.locator('.activitybar .action-item a[aria-label^="AI Audit Lens"]').first().click();
  const sessionRow = page.locator('.pane-body .monaco-list-row', { hasText: 'sess_' }).first();
  await sessionRow.waitFor({ timeout: 20_000 });
  const groups = await page.locator('.pane-body .monaco-list-row[aria-level="1"]').count();
  assert.ok(groups >= 3, `user groups: ${groups}`);
  await page.screenshot({ path: path.join(outDir, 'explore-sessions-tree.png') });

  log('a session with retrieved chunks opens in the timeline');
  const session = await overview.evaluate(() => {
    const rows = [...document.querySelectorAll('#records vscode-table-row')];
    const withCall = rows.find((r) => r.innerText.includes('llm.call'));
    return withCall ? withCall.querySelectorAll('vscode-table-cell')[4].innerText.trim() : null;
  });
  assert.ok(session, 'a session id in the overview');
  // The session id in the overview links to its timeline (the tree may have it scrolled out of view).
  await overview.locator('#records vscode-table-row', { hasText: 'llm.call' }).first().locator('a', { hasText: session }).click();
  let timeline = await findWebviewFrame(page, [`Session ${session}`, 'Reveal in Export'], { state: 'loaded' });
  const cards = await timeline.evaluate(() => document.querySelectorAll('.card').length);
  assert.ok(cards >= 3, `cards: ${cards}`);
  assert.ok(await timeline.evaluate(() => document.querySelectorAll('.wf-bar').length) >= 3, 'waterfall bars');
  await page.screenshot({ path: path.join(outDir, 'explore-timeline.png') });

  log('filter: free text narrows the overview table');
  await page.locator('.tabs-container .tab', { hasText: 'sample.audit.jsonl' }).first().click();
  overview = await findWebviewFrame(page, ['sample.audit.jsonl', 'Records read'], { state: 'loaded' });
  await overview.locator('#filter-text').click();
  await page.keyboard.type('refund');
  await findWebviewFrame(page, ['match the filter'], { state: 'loaded' });
  await page.screenshot({ path: path.join(outDir, 'explore-filtered-overview.png') });

  log('charts follow the filter, in the light theme and the dark theme');
  await runCommand(page, 'AI Audit Lens: Open Token and Cost Charts');
  let charts = await findWebviewFrame(page, ['Token and cost charts', 'Latency per model'], { state: 'loaded' });
  assert.match(await charts.evaluate(() => document.body.innerText), /Filtered: text = refund/);
  await charts.locator('text=Clear filter').click();
  charts = await findWebviewFrame(page, ['Token and cost charts', 'Top models'], { state: 'loaded' });
  await page.waitForTimeout(500);
  assert.ok(await charts.evaluate(() => document.querySelectorAll('canvas').length) >= 2, 'two uPlot canvases');
  await page.screenshot({ path: path.join(outDir, 'explore-charts-light.png') });
  log('clicking a bar filters every view to that bucket');
  const plot = charts.locator('#chart-stacked .u-over');
  const box = await plot.boundingBox();
  await plot.click({ position: { x: box.width * 0.35, y: box.height - 3 } });
  charts = await findWebviewFrame(page, ['Token and cost charts', 'Filtered: from ='], { state: 'loaded' });
  await charts.locator('text=Clear filter').click();
  charts = await findWebviewFrame(page, ['Token and cost charts', 'Top models'], { state: 'loaded' });
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(outDir, 'explore-charts-dark.png') });
}
