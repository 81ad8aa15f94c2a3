// Runs inside the real VS Code extension host (code-server, or VS Code desktop through @vscode/test-electron).
// The workspace holds a copy of the committed sample and the fixtures (see test/harness/workspace.mjs).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { AuditLensApi } from '../../src/extension';
import { reopenStartupTextTabs } from '../../src/host/startupReopen';

const EXTENSION_ID = 'ai-audit-lens.ai-audit-lens';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function api(): Promise<AuditLensApi> {
  const ext = vscode.extensions.getExtension<AuditLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.activate();
}

function activeCustomTab(): vscode.TabInputCustom | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input : undefined;
}

/** Counts what a plain reading of the file says, to compare with what the worker stored. */
function countLines(uri: vscode.Uri): { records: number; llmCalls: number } {
  const lines = fs.readFileSync(uri.fsPath, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const parsed = lines.map((l) => JSON.parse(l) as { type: string });
  return { records: parsed.length, llmCalls: parsed.filter((r) => r.type === 'llm.call').length };
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('AI Audit Lens in the real extension host', function () {
  this.timeout(60_000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes its commands with the "AI Audit Lens" category', async () => {
    await api();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('aiAuditLens.openAuditLog'));
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string; category: string }[] };
    };
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'AI Audit Lens', c.command);
  });

  it('opens the sample in the custom editor by default and stores every record in the worker', async () => {
    const lens = await api();
    const uri = workspaceFile('sample.audit.jsonl');
    await vscode.commands.executeCommand('vscode.open', uri);
    assert.equal(activeCustomTab()?.viewType, 'aiAuditLens.auditLog', '*.audit.jsonl opens in AI Audit Lens by default');
    const summary = await lens.summary(uri);
    assert.ok(summary, 'the sample loaded');
    const expected = countLines(uri);
    assert.equal(summary.records, expected.records);
    assert.equal(summary.skipped, 0);
    assert.ok(summary.sessions >= 10, `sessions: ${summary.sessions}`);
    const calls = await lens.query(uri, "SELECT count(*) FROM events WHERE kind = 'llm'");
    assert.equal(calls.rows[0][0], expected.llmCalls);
    const first = await lens.query(uri, 'SELECT rowid, line, type FROM events ORDER BY line LIMIT 1');
    assert.deepEqual(first.rows[0].slice(1), [1, 'system.document_upload']);
    const back = await lens.event(uri, first.rows[0][0] as number);
    assert.equal(back?.event.system?.action, 'document_upload');
  });

  it('counts and lists malformed lines with their line numbers without stopping the load', async () => {
    const lens = await api();
    const uri = workspaceFile('malformed.jsonl');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'aiAuditLens.auditLog.option');
    const summary = await lens.summary(uri);
    assert.ok(summary);
    assert.equal(summary.records, 4);
    assert.equal(summary.skipped, 2);
    assert.equal(summary.blankLines, 1);
    assert.deepEqual(
      summary.skippedLines.map((s) => s.line),
      [3, 6],
    );
    assert.match(summary.skippedLines[0].reason, /invalid JSON/);
    assert.match(summary.skippedLines[1].reason, /not a JSON object/);
    const lines = await lens.query(uri, 'SELECT line FROM events ORDER BY line');
    assert.deepEqual(lines.rows.map((r) => r[0]), [1, 2, 4, 7]);
  });

  it('shows skipped lines as Problems-panel diagnostics on the export, and clears them on close', async () => {
    const lens = await api();
    const uri = workspaceFile('malformed.jsonl');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'aiAuditLens.auditLog.option');
    await lens.summary(uri);
    const diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI Audit Lens');
    assert.deepEqual(diags.map((d) => d.range.start.line + 1), [3, 6]);
    assert.match(diags[0].message, /invalid JSON/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(() => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI Audit Lens').length === 0);
  });

  it('reopens in its editor an associated export that was showing as text when it activated (code-server opens a URL\'s file that early)', async () => {
    await api();
    const workbench = vscode.workspace.getConfiguration('workbench');
    const before = workbench.inspect<Record<string, string>>('editorAssociations')?.workspaceValue;
    await workbench.update('editorAssociations', { ...(before ?? {}), '*.audit.jsonl': 'aiAuditLens.auditLog' }, vscode.ConfigurationTarget.Workspace);
    try {
      const uri = workspaceFile('sample.audit.jsonl');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
      await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputText);
      const records = workspaceFile('records.jsonl');
      await vscode.commands.executeCommand('vscode.openWith', records, 'default', { preview: false, viewColumn: vscode.ViewColumn.Beside });
      await reopenStartupTextTabs();
      await waitFor(() => activeCustomTab() !== undefined || vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputCustom)));
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      const custom = tabs.filter((t) => t.input instanceof vscode.TabInputCustom).map((t) => (t.input as vscode.TabInputCustom).uri.path);
      const text = tabs.filter((t) => t.input instanceof vscode.TabInputText).map((t) => (t.input as vscode.TabInputText).uri.path);
      assert.deepEqual(custom.map((p) => p.split('/').pop()), ['sample.audit.jsonl'], 'the associated export is in the AI Audit Lens editor');
      assert.ok(!text.some((p) => p.endsWith('sample.audit.jsonl')), `its text tab is closed: ${text.join(', ')}`);
      assert.ok(text.some((p) => p.endsWith('records.jsonl')), 'a .jsonl the settings do not associate stays as text');
    } finally {
      await workbench.update('editorAssociations', before, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('"Open Audit Log…" opens a given export in the AI Audit Lens editor', async () => {
    const lens = await api();
    const uri = workspaceFile('malformed.jsonl');
    await vscode.commands.executeCommand('aiAuditLens.openAuditLog', uri);
    assert.equal(activeCustomTab()?.viewType, 'aiAuditLens.auditLog.option');
    assert.equal((await lens.summary(uri))?.records, 4);
  });

  it('opens OTLP traces and logs together and joins a call with its content', async () => {
    const lens = await api();
    const traces = workspaceFile('otel/traces.otlp.jsonl');
    const logs = workspaceFile('otel/logs.otlp.jsonl');
    const expected = JSON.parse(fs.readFileSync(workspaceFile('otel/expected.json').fsPath, 'utf8'));
    await vscode.commands.executeCommand('aiAuditLens.openAuditLog', traces, [traces, logs]);
    const summary = await lens.summary(traces);
    assert.ok(summary);
    assert.equal(summary.files.length, 2);
    assert.equal(summary.eventsByKind.llm, expected.calls.attempted);
    assert.equal(summary.inputTokens, expected.totals.inputTokens);
    assert.equal(summary.sessions, expected.sessions.count);
    const row = await lens.query(traces, "SELECT rowid, session_id FROM events WHERE kind = 'llm' AND id = ?", [expected.perCall[0].responseId]);
    assert.equal(row.rows[0][1], expected.perCall[0].sessionId);
    const back = await lens.event(traces, row.rows[0][0] as number);
    assert.ok(back?.event.content.input.some((m) => m.role === 'user' && m.content.includes('jane.doe@example.com')));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('drives the explore views through their commands: filter, Sessions tree, timeline, charts', async () => {
    const lens = await api();
    const uri = workspaceFile('sample.audit.jsonl');
    await vscode.commands.executeCommand('vscode.open', uri);
    const summary = await lens.summary(uri);
    assert.ok(summary);
    await lens.setFilter(uri, {});
    await waitFor(() => lens.treeSessions().length === summary.sessions, 15_000);
    const user = lens.treeSessions()[0].userId!;
    await lens.setFilter(uri, { userId: user });
    await waitFor(() => lens.treeSessions().length > 0 && lens.treeSessions().every((s) => s.userId === user), 15_000);
    await vscode.commands.executeCommand('aiAuditLens.sessions.groupByDay');
    await vscode.commands.executeCommand('aiAuditLens.sessions.groupByUser');
    const session = lens.treeSessions()[0].id;
    await vscode.commands.executeCommand('aiAuditLens.openTimeline', session);
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === `Session ${session}`);
    await vscode.commands.executeCommand('aiAuditLens.openCharts', uri);
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Charts: sample.audit.jsonl');
    // The filter survives closing and reopening the export.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.open', uri);
    await lens.summary(uri);
    await waitFor(() => lens.treeSessions().length > 0 && lens.treeSessions().every((s) => s.userId === user), 15_000);
    await vscode.commands.executeCommand('aiAuditLens.clearFilter');
    await waitFor(() => lens.treeSessions().length === summary.sessions, 15_000);
  });

  it('reloads an export that changes on disk', async () => {
    const lens = await api();
    const uri = workspaceFile('growing.jsonl');
    const line = (i: number) => JSON.stringify({ type: 'llm.call', ts: `2026-11-02T08:00:0${i}Z`, session_id: 's', model: 'gpt-4o-mini', usage: { input_tokens: 10, output_tokens: 5 } }) + '\n';
    fs.writeFileSync(uri.fsPath, line(1) + line(2));
    await vscode.commands.executeCommand('aiAuditLens.openAuditLog', uri);
    assert.equal((await lens.summary(uri))?.records, 2);
    fs.appendFileSync(uri.fsPath, line(3));
    let records = 0;
    await waitFor(() => {
      void lens.summary(uri).then((s) => (records = s?.records ?? 0));
      return records === 3;
    }, 20_000);
  });

  it('verifies the sample\'s hash chain and finds a modified record at its line', async () => {
    const lens = await api();
    const clean = workspaceFile('sample.audit.jsonl');
    await vscode.commands.executeCommand('vscode.open', clean);
    await lens.summary(clean);
    const ok = await lens.verify(clean);
    assert.equal(ok?.verdict, 'verified');
    assert.equal(ok?.counts.findings, 0);
    const lines = fs.readFileSync(clean.fsPath, 'utf8').split('\n');
    const rec = JSON.parse(lines[9]);
    rec.cost_usd = 0;
    lines[9] = JSON.stringify(rec);
    const tampered = workspaceFile('tampered-it.audit.jsonl');
    fs.writeFileSync(tampered.fsPath, lines.join('\n'));
    await vscode.commands.executeCommand('vscode.open', tampered);
    await lens.summary(tampered);
    const bad = await lens.verify(tampered);
    assert.equal(bad?.verdict, 'tampered');
    assert.equal(bad?.findings[0].class, 'modified');
    assert.equal(bad?.findings[0].line, 10);
    const diags = vscode.languages.getDiagnostics(tampered).filter((d) => d.source === 'AI Audit Lens');
    assert.ok(diags.some((d) => d.range.start.line === 9 && /modified/.test(d.message)), JSON.stringify(diags.map((d) => d.message)));
  });

  it('prices calls without a logged cost and counts unpriced ones, never as zero', async () => {
    const lens = await api();
    const uri = workspaceFile('otel/traces.otlp.jsonl');
    await vscode.commands.executeCommand('aiAuditLens.openAuditLog', uri);
    const s = await lens.summary(uri);
    assert.ok(s);
    assert.equal(s.loggedCostCalls, 0);
    assert.equal(s.pricedCalls, 6, 'the six calls that report tokens are priced at their own model');
    assert.equal(s.unpricedCalls, 2, 'the two failed calls have no tokens');
    assert.ok(s.costUsd > 0);
    assert.match(s.prices.date, /^\d{4}-\d{2}-\d{2}$/);
  });

  // Each ecosystem opens without configuration, is told apart, and gives the totals its generator recorded.
  const ECOSYSTEMS: { name: string; files: string[]; dialect: RegExp; tokens: (e: Record<string, any>) => [number, number] }[] = [
    { name: 'OpenInference', files: ['openinference/traces.openinference.otlp.jsonl'], dialect: /^openinference$/, tokens: (e) => [e.totals.inputTokens, e.totals.outputTokens] },
    { name: 'Traceloop', files: ['traceloop/traces.traceloop.otlp.jsonl'], dialect: /^traceloop$/, tokens: (e) => [e.runs.current.totals.inputTokens, e.runs.current.totals.outputTokens] },
    { name: 'Langfuse ingestion', files: ['langfuse/ingestion.jsonl'], dialect: /^langfuse-ingestion$/, tokens: (e) => [e.totals.inputTokens, e.totals.outputTokens] },
    { name: 'Bedrock (gzip)', files: ['bedrock/model-invocations.json.gz'], dialect: /^bedrock$/, tokens: (e) => [e.totals.inputTokens, e.totals.outputTokens] },
    { name: 'OpenAI Batch', files: ['openai-batch/batch_input.jsonl', 'openai-batch/batch_output.jsonl'], dialect: /^openai-batch-(input|output)$/, tokens: (e) => [e.totals.inputTokens, e.totals.outputTokens] },
    { name: 'LiteLLM', files: ['litellm/standard_logging_payloads.jsonl'], dialect: /^litellm-payload$/, tokens: (e) => [e.totals.inputTokens, e.totals.outputTokens] },
    { name: 'LangSmith', files: ['langsmith/runs.jsonl'], dialect: /^langsmith-run$/, tokens: (e) => [e.totals.inputTokens, e.totals.outputTokens] },
  ];
  for (const eco of ECOSYSTEMS) {
    it(`opens ${eco.name} without configuration`, async () => {
      const lens = await api();
      const uris = eco.files.map(workspaceFile);
      const expected = JSON.parse(fs.readFileSync(workspaceFile(`${eco.files[0].split('/')[0]}/expected.json`).fsPath, 'utf8'));
      await vscode.commands.executeCommand('aiAuditLens.openAuditLog', uris[0], uris);
      const s = await lens.summary(uris[0]);
      assert.ok(s, `${eco.name} loaded`);
      assert.equal(s.skipped, 0);
      for (const f of s.files) for (const d of Object.keys(f.dialects)) assert.match(d, eco.dialect, `${f.fileName}: ${d}`);
      assert.deepEqual([s.inputTokens, s.outputTokens], eco.tokens(expected));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  }

  it('maps records with the workspace\'s JSONPath mappings and previews them', async () => {
    const lens = await api();
    const uri = workspaceFile('jsonpath/acme-chat.jsonl');
    const expected = JSON.parse(fs.readFileSync(workspaceFile('jsonpath/expected.json').fsPath, 'utf8'));
    await vscode.commands.executeCommand('aiAuditLens.openAuditLog', uri);
    const s = await lens.summary(uri);
    assert.ok(s);
    assert.ok(Object.keys(s.files[0].dialects).some((d) => d.startsWith('jsonpath:')), JSON.stringify(s.files[0].dialects));
    assert.equal(s.inputTokens, expected.totals.inputTokens);
    await vscode.commands.executeCommand('aiAuditLens.previewMappings', uri);
    await waitFor(() => vscode.window.visibleTextEditors.some((e) => e.document.languageId === 'markdown' && e.document.getText().includes('# JSONPath mappings')));
  });

  it('goes from a logged call to the code that produced it, never outside the workspace, and back with a CodeLens', async () => {
    const lens = await api();
    const uri = workspaceFile('source-workspace/exports/calls.audit.jsonl');
    await vscode.commands.executeCommand('aiAuditLens.openAuditLog', uri);
    assert.ok(await lens.summary(uri));
    const rowOf = async (id: string) => (await lens.query(uri, 'SELECT rowid FROM events WHERE id = ?', [id])).rows[0][0] as number;
    const byAttr = await lens.goToSource(uri, await rowOf('call_attr_posix'));
    assert.equal(byAttr[0].method, 'attribute');
    assert.match(byAttr[0].file, /src\/support\/bot\.ts$/);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.path.endsWith('src/support/bot.ts') === true);
    assert.equal(vscode.window.activeTextEditor!.selection.active.line, (byAttr[0].line ?? 1) - 1);
    const byStack = await lens.goToSource(uri, await rowOf('call_python_stack'));
    assert.equal(byStack[0].method, 'stacktrace');
    const hostile = await lens.goToSource(uri, await rowOf('call_hostile_path'));
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    for (const c of hostile) assert.ok(!c.file.includes('/etc/passwd'), c.file);
    for (const e of vscode.window.visibleTextEditors) assert.ok(e.document.uri.scheme !== 'file' || e.document.uri.fsPath.startsWith(root), e.document.uri.fsPath);
    // Back from the code: a CodeLens with the figures of the calls this file produced.
    await vscode.commands.executeCommand('aiAuditLens.openAuditLog', uri);
    const bot = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'source-workspace/project/src/support/bot.ts');
    let lenses: vscode.CodeLens[] = [];
    await waitFor(() => {
      void vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', bot).then((l) => (lenses = l ?? []));
      return lenses.some((l) => l.command?.title.startsWith('AI Audit:'));
    }, 30_000);
    const title = lenses.find((l) => l.command?.title.startsWith('AI Audit:'))!.command!.title;
    assert.match(title, /^AI Audit: \d+ calls? · [\d.]+[KM]? tokens/);
  });

  it('scans the sample for PII and writes a redacted copy that holds none of the values found', async () => {
    const lens = await api();
    const uri = workspaceFile('sample.audit.jsonl');
    await vscode.commands.executeCommand('vscode.open', uri);
    await lens.summary(uri);
    const scan = (await vscode.commands.executeCommand('aiAuditLens.scanPii', uri)) as { total: number; byType: Record<string, number>; findings: { line: number }[] };
    assert.ok(scan.total >= 10, `findings: ${scan.total}`);
    for (const t of ['email', 'credit_card', 'iban', 'ssn', 'phone']) assert.ok(scan.byType[t] > 0, t);
    const diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI Audit Lens (PII)');
    assert.equal(diags.length, scan.findings.length);
    const target = workspaceFile('sample.redacted.audit.jsonl');
    const before = fs.readFileSync(uri.fsPath);
    const summary = (await vscode.commands.executeCommand('aiAuditLens.exportRedactedCopy', uri, { mode: 'tag', target })) as { recordsChanged: number; rechained: boolean };
    assert.ok(summary.recordsChanged > 0);
    assert.equal(summary.rechained, true);
    const copy = fs.readFileSync(target.fsPath, 'utf8');
    for (const value of ['jane.doe@example.com', '4111 1111 1111 1111', '078-05-1120', 'DE89 3704 0044 0532 0130 00']) assert.ok(!copy.includes(value), value);
    assert.match(copy, /\[EMAIL_1\]/);
    assert.ok(before.equals(fs.readFileSync(uri.fsPath)), 'the export is unchanged');
    assert.ok(fs.existsSync(`${target.fsPath}.summary.json`));
    // The copy is re-chained: it verifies on its own.
    await vscode.commands.executeCommand('aiAuditLens.openAuditLog', target);
    await lens.summary(target);
    assert.equal((await lens.verify(target))?.verdict, 'verified');
  });

  it('query console, findings, system events and auditor exports through their commands', async () => {
    const lens = await api();
    const uri = workspaceFile('sample.audit.jsonl');
    await vscode.commands.executeCommand('vscode.open', uri);
    const summary = await lens.summary(uri);
    assert.ok(summary);
    // Read-only SQL: reads work, writes are refused with a reason.
    const ok = await lens.sql(uri, "SELECT count(*) AS n FROM events WHERE kind = 'llm'");
    assert.ok((ok.rows[0][0] as number) > 0);
    for (const bad of ['DELETE FROM events', "ATTACH DATABASE 'x.db' AS x", 'PRAGMA writable_schema = 1', 'SELECT 1; DROP TABLE events']) {
      await assert.rejects(lens.sql(uri, bad), /refused|not allowed|only/i, bad);
    }
    // Findings: the sample's injection attempt is found.
    const findings = (await vscode.commands.executeCommand('aiAuditLens.runFindings', uri)) as { rule: string; severity: string }[];
    assert.ok(findings.some((f) => f.rule === 'prompt-injection'), JSON.stringify(findings.map((f) => f.rule)));
    // System events: the system prompt change, with before and after, opens in the diff editor.
    const events = (await vscode.commands.executeCommand('aiAuditLens.showSystemEvents', uri, { listOnly: true })) as { configChanges: { target: string; before: string; after: string }[]; documents: unknown[] };
    assert.equal(events.configChanges[0].target, 'system_prompt');
    assert.notEqual(events.configChanges[0].before, events.configChanges[0].after);
    assert.ok(events.documents.length >= 5);
    await vscode.commands.executeCommand('aiAuditLens.showSystemEvents', uri, { openChange: 0 });
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff);
    // The diff replaced the export's preview tab: open the export again.
    await vscode.commands.executeCommand('vscode.open', uri);
    await lens.summary(uri);
    // Exports: the events of a query to CSV, and an evidence bundle whose manifest hashes verify.
    const out = workspaceFile('llm-calls.csv');
    const exported = (await vscode.commands.executeCommand('aiAuditLens.exportResults', uri, { sql: "SELECT rowid, ts, request_model, cost FROM events WHERE kind = 'llm'" }, out)) as { rows: number };
    assert.equal(exported.rows, ok.rows[0][0]);
    assert.match(fs.readFileSync(out.fsPath, 'utf8'), /^rowid,ts,request_model,cost\r?\n/);
    const folder = workspaceFile('bundles');
    fs.mkdirSync(folder.fsPath, { recursive: true });
    const bundle = (await vscode.commands.executeCommand('aiAuditLens.createEvidenceBundle', uri, { sql: "SELECT rowid FROM events WHERE kind = 'security'" }, folder)) as { dir: string; events: number; manifest: { files: { path: string; sha256: string }[] } };
    assert.equal(bundle.events, 1);
    const crypto = await import('node:crypto');
    for (const f of bundle.manifest.files) {
      const bytes = fs.readFileSync(`${bundle.dir}/${f.path}`);
      assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), f.sha256, f.path);
    }
    await vscode.commands.executeCommand('aiAuditLens.openQueryConsole', uri);
    await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Query: sample.audit.jsonl');
  });

  it('reads a JSON array and CSV export of the sample with the same counts', async () => {
    const lens = await api();
    const counts: unknown[] = [];
    for (const name of ['sample.audit.jsonl', 'sample.audit.json', 'sample.audit.csv']) {
      const uri = workspaceFile(name);
      await vscode.commands.executeCommand('aiAuditLens.openAuditLog', uri);
      const s = await lens.summary(uri);
      assert.ok(s, name);
      counts.push([s.records, s.skipped, s.events, s.sessions, s.inputTokens, s.outputTokens]);
    }
    assert.deepEqual(counts[1], counts[0]);
    assert.deepEqual(counts[2], counts[0]);
  });
});
