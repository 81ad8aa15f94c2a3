// The query console of one export: read-only SQL over the normalized tables (writes, ATTACH and state-changing
// PRAGMAs are refused with a reason), or a JSONPath filter over the raw records; a schema browser and completion;
// history and saved queries per workspace; a result can become the filter of every view, be exported, or be
// packed into an evidence bundle.
import * as vscode from 'vscode';
import { SQL_COMPLETION_WORDS } from '../core/analysis/queryGuard';
import { assertNever, type QueryToHost, type SavedQuery, type ToQuery } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import { revealLine } from './overviewView';
import { openSingletonPanel } from './panels';

const MAX_ROWS = 5000;
const HISTORY = 'aiAuditLens.query.history';
const SAVED = 'aiAuditLens.query.saved';
const open = new Map<AuditLogDocument, vscode.WebviewPanel>();

export function showQueryConsole(context: vscode.ExtensionContext, doc: AuditLogDocument, prefill?: SavedQuery): void {
  const panel = openSingletonPanel(open, doc, context.extensionUri, { viewType: 'aiAuditLens.query', title: `Query: ${doc.title}`, script: 'query', retainContextWhenHidden: true });
  if (!panel) return;
  const state = context.workspaceState;
  const lists = () => ({ history: state.get<SavedQuery[]>(HISTORY, []), saved: state.get<SavedQuery[]>(SAVED, []) });
  const post = (msg: ToQuery) => void panel.webview.postMessage(msg);
  const remember = async (q: SavedQuery) => {
    const history = [q, ...state.get<SavedQuery[]>(HISTORY, []).filter((h) => h.text !== q.text || h.mode !== q.mode)].slice(0, 50);
    await state.update(HISTORY, history);
    post({ type: 'queryLists', ...lists() });
  };
  const subscription = panel.webview.onDidReceiveMessage(async (msg: QueryToHost) => {
    try {
      switch (msg.type) {
        case 'ready': {
          const schema = await doc.request({ kind: 'schema' });
          const words = [...SQL_COMPLETION_WORDS, ...schema.map((t) => t.name), ...schema.flatMap((t) => t.columns.map((c) => c.name))];
          post({ type: 'queryInit', title: doc.title, schema, words: [...new Set(words)], ...lists() });
          if (prefill) await run(prefill.mode, prefill.text);
          return;
        }
        case 'run':
          return await run(msg.mode, msg.text);
        case 'saveQuery': {
          const name = await vscode.window.showInputBox({ title: 'AI Audit Lens: save this query as', value: msg.text.slice(0, 40) });
          if (!name) return;
          await state.update(SAVED, [{ name, mode: msg.mode, text: msg.text }, ...state.get<SavedQuery[]>(SAVED, []).filter((s) => s.name !== name)]);
          post({ type: 'queryLists', ...lists() });
          return;
        }
        case 'useAsFilter': {
          const selection = await doc.request({ kind: 'saveSelection', rowids: msg.rowids });
          await doc.setFilter({ ...doc.filter, selection });
          void vscode.window.showInformationMessage(`AI Audit Lens: the overview, Sessions and charts now show the ${msg.rowids.length} events of "${msg.label}". Clear the filter to see all.`);
          return;
        }
        case 'exportResult':
          await vscode.commands.executeCommand('aiAuditLens.exportResults', doc.uri, { sql: msg.sql });
          return;
        case 'evidenceBundle':
          await vscode.commands.executeCommand('aiAuditLens.createEvidenceBundle', doc.uri, msg.selection);
          return;
        case 'revealLine':
          await revealLine(doc.uris[msg.fileIndex] ?? doc.uri, msg.line);
          return;
        case 'copyText':
          await vscode.env.clipboard.writeText(String(msg.text));
          return;
        default:
          assertNever(msg);
      }
    } catch (err) {
      post({ type: 'queryError', message: err instanceof Error ? err.message : String(err) });
    }
  });
  async function run(mode: 'sql' | 'jsonpath', text: string): Promise<void> {
    await remember({ name: '', mode, text });
    if (mode === 'sql') post({ type: 'queryResult', mode, result: await doc.request({ kind: 'sqlQuery', sql: text, maxRows: MAX_ROWS }) });
    else post({ type: 'queryResult', mode, result: await doc.request({ kind: 'jsonPath', expr: text, maxMatches: MAX_ROWS }) });
  }
  panel.onDidDispose(() => subscription.dispose());
}
