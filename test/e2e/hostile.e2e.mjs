// Hostile log content in every field that reaches a view: no script runs (a sentinel global is never set, no
// dialog opens, no frame navigates), and the payloads are visible as text, invisible characters as markers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../harness/workspace.mjs';
import { findWebviewFrame, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const name = 'hostile-content';
const payloads = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'hostile', 'payloads.json'), 'utf8'));
const SESSION = 'sess_<img src=x onerror="window.__pwned=1">';

export function prepare(workspace) {
  const lines = [];
  let seq = 0;
  const ts = (i) => new Date(Date.parse('2026-11-02T08:00:00Z') + i * 60_000).toISOString();
  payloads.forEach((p, i) => {
    const common = { schema: 'auditlens/1', seq: ++seq, id: `evt_${p}`, ts: ts(i), session_id: SESSION, user_id: `user ${p}`, environment: `env ${p}` };
    lines.push({
      ...common, type: `llm.call ${p}`, model: `gpt-4o-mini ${p}`, provider: p,
      messages: [{ role: 'system', content: `system ${p}` }, { role: 'user', content: `user ${p}` }],
      response: { role: 'assistant', content: `answer ${p}`, finish_reason: p },
      usage: { input_tokens: 10 + i, output_tokens: 5 }, latency_ms: 100 + i,
      retrieval: [{ document_id: `doc ${p}`, chunk_id: `chunk ${p}`, score: 0.5, text: `chunk text ${p}` }],
      tool_calls: [{ name: `tool ${p}`, arguments: { q: p }, result: { r: p } }],
      code: { file: `../../etc/${p}`, line: 1, function: p }, tags: [p], status: i % 3 === 0 ? 'error' : 'ok', error: i % 3 === 0 ? { type: p, message: p } : undefined,
    });
    lines.push({ ...common, seq: ++seq, type: 'system.config_change', actor: p, change: { key: `key ${p}`, before: p, after: `${p}!` }, detail: p });
    lines.push({ ...common, seq: ++seq, type: 'feedback', feedback: { rating: -1, comment: p, ts: ts(i) } });
  });
  fs.writeFileSync(path.join(workspace, 'hostile.audit.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

/** Every frame of the page: the sentinel is never set and no frame left its own origin. */
async function assertNothingRan(page) {
  for (const frame of page.frames()) {
    const url = frame.url();
    assert.ok(!url.includes('evil.example'), `a frame navigated to ${url}`);
    const pwned = await frame.evaluate(() => window.__pwned).catch(() => undefined);
    assert.equal(pwned, undefined, `script ran in ${url}: ${pwned}`);
  }
}

export async function run({ page, outDir, log }) {
  await waitForWorkbench(page, 'hostile.audit.jsonl');
  await quickOpen(page, 'hostile.audit.jsonl');
  let frame = await findWebviewFrame(page, ['hostile.audit.jsonl', 'Records read'], { state: 'loaded' });
  log('overview: payloads are text');
  const text = await frame.evaluate(() => document.body.innerText);
  assert.ok(text.includes("<script>window.__pwned='script'</script>"), 'script tag shown as text');
  assert.ok(text.includes('⟨U+202E⟩'), 'bidi override shown as a marker');
  assert.ok(text.includes('⟨U+200B⟩'), 'zero-width space shown as a marker');
  assert.equal(await frame.evaluate(() => document.querySelectorAll('#records img, #records svg circle, #records iframe, #records a[href^="javascript"], #records a[href^="command"]').length), 0);
  log('event detail of every model call');
  const rows = await frame.locator('#records vscode-table-row', { hasText: 'llm.call' }).count();
  for (let i = 0; i < rows; i++) {
    await frame.locator('#records vscode-table-row', { hasText: 'llm.call' }).nth(i).click();
    await frame.waitForSelector('#detail:not([hidden]) .message');
  }
  await frame.evaluate(() => {
    for (const c of document.querySelectorAll('vscode-collapsible')) c.setAttribute('open', '');
  });
  await page.screenshot({ path: path.join(outDir, 'hostile-overview.png') });
  await assertNothingRan(page);

  log('timeline of the hostile session');
  await runCommand(page, 'AI Audit Lens: Open Session Timeline…');
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().click();
  frame = await findWebviewFrame(page, ['Session sess_<img', 'Reveal in Export'], { state: 'loaded' });
  await frame.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  assert.ok((await frame.evaluate(() => document.body.innerText)).includes('<svg onload='));
  await page.screenshot({ path: path.join(outDir, 'hostile-timeline.png') });
  await assertNothingRan(page);

  log('charts: model names with payloads in legends and tables');
  await runCommand(page, 'AI Audit Lens: Open Token and Cost Charts');
  frame = await findWebviewFrame(page, ['Token and cost charts', 'Top models'], { state: 'loaded' });
  assert.ok((await frame.evaluate(() => document.body.innerText)).includes('gpt-4o-mini <script>'));
  await page.screenshot({ path: path.join(outDir, 'hostile-charts.png') });

  log('Sessions tree and its tooltip');
  await page.locator('.activitybar .action-item a[aria-label^="AI Audit Lens"]').first().click();
  await page.locator('.pane-body .monaco-list-row', { hasText: 'sess_<img' }).first().waitFor({ timeout: 20_000 });
  await page.locator('.pane-body .monaco-list-row', { hasText: 'sess_<img' }).first().hover();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(outDir, 'hostile-sessions-tree.png') });
  await assertNothingRan(page);
}
