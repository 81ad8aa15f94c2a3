// Palette commands of the "AI Audit Lens" category.
import * as vscode from 'vscode';
import { CONTAINER_FORMATS } from '../core/ingest/detectFormat';
import type { ContainerFormatId } from '../shared/protocol';
import type { AuditLogEditorProvider } from './auditLogEditorProvider';
import { VIEW_TYPE_DEFAULT, VIEW_TYPE_OPTION } from './auditLogEditorProvider';
import { output } from './output';
import type { AuditLogDocument } from './auditLogDocument';
import { showCharts } from './chartsPanel';
import type { SessionsTree } from './sessionsTree';
import { showTimeline } from './timelinePanel';
import type { IntegrityController } from './integrityController';
import { exportReport, showIntegrityReport } from './integrityPanel';
import { previewMappings } from './mappingPreview';
import type { SourceLinks } from './sourceLinks';
import type { RedactionController } from './redactionController';
import { showRedactionPreview } from './redactionPanel';
import type { BundleSelection, RedactionMode } from '../shared/protocol';
import type { FindingsTree } from './findingsTree';
import { showQueryConsole } from './queryPanel';
import { showSystemEvents, type ChangeContentProvider } from './systemEventsView';
import { revealLine } from './overviewView';
import { reportToJson, reportToMarkdown } from '../core/integrity/report';

const EXPORT_FILTERS = { 'Audit log exports': ['jsonl', 'json', 'csv', 'gz', 'ndjson'], 'All files': ['*'] };
const EXPORT_NAME = /\.(jsonl|ndjson|json|csv)(\.gz)?$|\.gz$/i;

async function filesIn(folder: vscode.Uri): Promise<vscode.Uri[]> {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  return entries
    .filter(([name, type]) => type === vscode.FileType.File && EXPORT_NAME.test(name))
    .map(([name]) => vscode.Uri.joinPath(folder, name))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * "AI Audit Lens: Open Audit Log…": one export opens in the custom editor; several files (multi-select, or a
 * folder) open together as one audit log, so OTLP traces and logs are joined by trace and span id.
 */
export async function openAuditLog(provider: AuditLogEditorProvider, target?: vscode.Uri, selected?: vscode.Uri[]): Promise<void> {
  let uris = (selected?.length ? selected : target instanceof vscode.Uri ? [target] : []).filter((u) => u instanceof vscode.Uri);
  if (uris.length === 0) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: 'Open Audit Log',
      title: 'AI Audit Lens: Open Audit Log (select several files to read them together)',
      filters: EXPORT_FILTERS,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    uris = picked ?? [];
  }
  const expanded: vscode.Uri[] = [];
  for (const uri of uris) {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) expanded.push(...(await filesIn(uri)));
    else expanded.push(uri);
  }
  if (expanded.length === 0) {
    if (uris.length) void vscode.window.showWarningMessage('AI Audit Lens: the folder holds no .jsonl, .json, .csv or .gz files.');
    return;
  }
  if (expanded.length === 1) {
    const uri = expanded[0];
    const viewType = /\.audit\.jsonl$/i.test(uri.path) ? VIEW_TYPE_DEFAULT : VIEW_TYPE_OPTION;
    await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
    return;
  }
  provider.openTogether(expanded);
}

/** "AI Audit Lens: Reopen With Format…": overrides format detection for the export in the active view. */
export async function reopenWithFormat(provider: AuditLogEditorProvider, target?: vscode.Uri): Promise<void> {
  const doc = (target instanceof vscode.Uri ? provider.documentFor(target) : undefined) ?? provider.activeDocument;
  if (!doc) {
    void vscode.window.showInformationMessage('AI Audit Lens: open an audit log first.');
    return;
  }
  const detected = doc.state.kind === 'loaded' ? doc.state.summary.files.map((f) => `${f.fileName}: ${f.format} (${f.formatReason})`).join('; ') : '';
  type Item = vscode.QuickPickItem & { format: ContainerFormatId | undefined };
  const items: Item[] = [
    { label: 'Detect automatically', description: doc.chosenFormat ? '' : 'current', detail: detected, format: undefined },
    ...CONTAINER_FORMATS.map((f) => ({ label: f.label, description: doc.chosenFormat === f.id ? 'current' : '', detail: f.description, format: f.id })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `AI Audit Lens: read ${doc.title} as…`, matchOnDetail: true });
  if (!pick) return;
  output().info(`${doc.title}: format ${pick.format ? `set to ${pick.format}` : 'detected automatically'} by the user`);
  await doc.reload(pick.format);
}

/** The document a command acts on: the one given, the focused view's, or the last focused one. */
function targetDocument(provider: AuditLogEditorProvider, target?: unknown): AuditLogDocument | undefined {
  if (target instanceof vscode.Uri) return provider.documentFor(target);
  return provider.activeDocument ?? provider.lastDocument;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  provider: AuditLogEditorProvider,
  sessions: SessionsTree,
  integrity: IntegrityController,
  source: SourceLinks,
  redaction: RedactionController,
  findings: FindingsTree,
  changes: ChangeContentProvider,
): void {
  const noDocument = () => void vscode.window.showInformationMessage('AI Audit Lens: open an audit log first.');
  context.subscriptions.push(
    vscode.commands.registerCommand('aiAuditLens.openTimeline', async (arg?: { doc?: AuditLogDocument; sessionId?: string; rowid?: number; session?: { id: string } } | string) => {
      const doc = (typeof arg === 'object' && arg.doc) || sessions.document || targetDocument(provider);
      if (!doc) return noDocument();
      // From the overview or charts: {doc, sessionId}; from the tree: the session id, or the tree node (inline action).
      let sessionId = typeof arg === 'string' ? arg : (arg?.sessionId ?? arg?.session?.id);
      if (!sessionId) {
        const list = await doc.request({ kind: 'sessions', filter: doc.filter });
        const pick = await vscode.window.showQuickPick(
          list.map((s) => ({ label: s.id, description: `${s.userId ?? '—'} · ${s.events} events · $${s.costUsd.toFixed(4)}`, detail: `${s.start ?? ''} → ${s.end ?? ''}` })),
          { title: 'AI Audit Lens: open the timeline of a session', matchOnDescription: true },
        );
        sessionId = pick?.label;
      }
      if (sessionId) await showTimeline(context.extensionUri, doc, sessionId, typeof arg === 'object' ? arg.rowid : undefined);
    }),
    vscode.commands.registerCommand('aiAuditLens.openCharts', (target?: vscode.Uri) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      showCharts(context.extensionUri, doc);
    }),
    vscode.commands.registerCommand('aiAuditLens.clearFilter', async () => {
      const doc = targetDocument(provider);
      if (!doc) return noDocument();
      await doc.setFilter({});
    }),
    vscode.commands.registerCommand('aiAuditLens.verifyIntegrity', async (target?: vscode.Uri) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      showIntegrityReport(context.extensionUri, doc, integrity);
      return integrity.verify(doc);
    }),
    vscode.commands.registerCommand('aiAuditLens.showIntegrityReport', (target?: vscode.Uri) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      showIntegrityReport(context.extensionUri, doc, integrity);
    }),
    vscode.commands.registerCommand('aiAuditLens.exportIntegrityReport', async () => {
      const doc = targetDocument(provider);
      if (!doc) return noDocument();
      const pick = await vscode.window.showQuickPick([{ label: 'Markdown', format: 'markdown' as const }, { label: 'JSON', format: 'json' as const }], { title: 'AI Audit Lens: export the integrity report as' });
      if (pick) await exportReport(doc, integrity, pick.format);
    }),
    vscode.commands.registerCommand('aiAuditLens.previewMappings', (target?: vscode.Uri) => previewMappings(target instanceof vscode.Uri ? target : targetDocument(provider)?.uri)),
    vscode.commands.registerCommand('aiAuditLens.goToSource', async (arg?: { doc?: AuditLogDocument; rowid?: number }) => {
      const doc = arg?.doc ?? targetDocument(provider);
      if (!doc) return noDocument();
      if (arg?.rowid === undefined) {
        void vscode.window.showInformationMessage('AI Audit Lens: use "Go to Source" on an event of the timeline or the overview.');
        return [];
      }
      return source.goToSource(doc, arg.rowid);
    }),
    vscode.commands.registerCommand('aiAuditLens.showEventsFromCode', (arg: { promptHash: string | null; codeKey: string | null }) => source.showEvents(arg)),
    vscode.commands.registerCommand('aiAuditLens.scanPii', async (target?: vscode.Uri) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      showRedactionPreview(context.extensionUri, doc, redaction);
      return redaction.scan(doc);
    }),
    vscode.commands.registerCommand('aiAuditLens.exportRedactedCopy', async (target?: vscode.Uri, options?: { mode?: RedactionMode; target?: vscode.Uri }) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      return redaction.exportCopy(doc, options ?? {});
    }),
    vscode.commands.registerCommand('aiAuditLens.openQueryConsole', (target?: vscode.Uri) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      showQueryConsole(context, doc);
    }),
    vscode.commands.registerCommand('aiAuditLens.runFindings', async (target?: vscode.Uri) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      const list = await findings.run(doc);
      void vscode.commands.executeCommand('aiAuditLens.findings.focus');
      return list;
    }),
    vscode.commands.registerCommand('aiAuditLens.openFinding', async (id: string) => {
      const f = findings.find(id);
      const doc = findings.document;
      if (!f || !doc || f.events.length === 0) return;
      const first = f.events[0];
      const row = (await doc.query('SELECT session_id FROM events WHERE rowid = ?', [first.rowid])).rows[0];
      if (row?.[0]) await showTimeline(context.extensionUri, doc, String(row[0]), first.rowid);
      else await revealLine(doc.uris[first.fileIndex] ?? doc.uri, first.line);
    }),
    vscode.commands.registerCommand('aiAuditLens.showSystemEvents', async (target?: vscode.Uri, options?: { listOnly?: boolean; openChange?: number }) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      return showSystemEvents(doc, changes, options);
    }),
    vscode.commands.registerCommand('aiAuditLens.exportResults', async (target?: vscode.Uri, source?: { sql: string }, to?: vscode.Uri) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      const out = to ?? await vscode.window.showSaveDialog({
        title: source ? 'AI Audit Lens: export the query result' : 'AI Audit Lens: export the events that match the filter',
        defaultUri: vscode.Uri.file(`${doc.uri.fsPath.replace(/(\.[a-z0-9]+)+$/i, '')}.export.csv`),
        filters: { CSV: ['csv'], JSON: ['json'], 'JSON Lines': ['jsonl'] },
      });
      if (!out) return;
      const format = /\.jsonl$/i.test(out.fsPath) ? 'jsonl' : /\.json$/i.test(out.fsPath) ? 'json' : 'csv';
      const result = await doc.requestWithProgress('AI Audit Lens: exporting', { kind: 'exportRows', source: source ?? { filter: doc.filter }, output: out.fsPath, format });
      void vscode.window.showInformationMessage(`AI Audit Lens: ${result.rows.toLocaleString('en-US')} rows written to ${result.path} (SHA-256 ${result.sha256.slice(0, 12)}…).`);
      return result;
    }),
    vscode.commands.registerCommand('aiAuditLens.createEvidenceBundle', async (target?: vscode.Uri, selection?: BundleSelection, folder?: vscode.Uri) => {
      const doc = targetDocument(provider, target);
      if (!doc) return noDocument();
      const parent = folder ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create the bundle here', title: 'AI Audit Lens: where should the evidence bundle go?' }))?.[0];
      if (!parent) return;
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const name = `audit-evidence-${doc.title.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp}`;
      const attachments: { name: string; content: string }[] = [];
      const report = integrity.reportFor(doc);
      if (report) attachments.push({ name: 'integrity-report.md', content: reportToMarkdown(report) }, { name: 'integrity-report.json', content: reportToJson(report) });
      const scan = redaction.scanFor(doc);
      if (scan) attachments.push({ name: 'redaction-summary.json', content: JSON.stringify({ records: scan.records, recordsWithFindings: scan.recordsWithFindings, total: scan.total, byType: scan.byType, byScope: scan.byScope }, null, 2) });
      const sel = selection ?? { filter: doc.filter };
      const result = await doc.requestWithProgress('AI Audit Lens: creating the evidence bundle', {
            kind: 'evidenceBundle',
            outDir: vscode.Uri.joinPath(parent, name).fsPath,
            zipPath: vscode.Uri.joinPath(parent, `${name}.zip`).fsPath,
            selection: sel,
            description: 'filter' in sel ? `events matching the filter ${JSON.stringify(sel.filter)}` : 'sql' in sel ? `events of the query: ${sel.sql}` : 'jsonPath' in sel ? `records matching ${sel.jsonPath}` : 'selected events',
            attachments,
          });
      void vscode.window.showInformationMessage(`AI Audit Lens: evidence bundle with ${result.events} events (${result.records} records) written to ${result.dir}.`, 'Reveal').then((pick) => {
        if (pick) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(result.dir));
      });
      return result;
    }),
    vscode.commands.registerCommand('aiAuditLens.setHmacKey', () => integrity.setHmacKey()),
    vscode.commands.registerCommand('aiAuditLens.forgetHmacKey', () => integrity.forgetHmacKey()),
    vscode.commands.registerCommand('aiAuditLens.sessions.groupByUser', () => sessions.setGroupBy('user')),
    vscode.commands.registerCommand('aiAuditLens.sessions.groupByDay', () => sessions.setGroupBy('day')),
    vscode.commands.registerCommand('aiAuditLens.sessions.refresh', () => sessions.refresh()),
    vscode.commands.registerCommand('aiAuditLens.openAuditLog', (target?: vscode.Uri, selected?: vscode.Uri[]) => openAuditLog(provider, target, selected)),
    vscode.commands.registerCommand('aiAuditLens.reopenWithFormat', (target?: vscode.Uri) => reopenWithFormat(provider, target)),
    vscode.commands.registerCommand('aiAuditLens.showLog', () => output().show(true)),
  );
}
