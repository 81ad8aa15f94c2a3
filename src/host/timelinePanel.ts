// The session timeline: a webview panel per (export, session) with every event in order, read back in full.
import * as vscode from 'vscode';
import { assertNever, type TimelineToHost, type ToTimeline } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import { revealLine } from './overviewView';
import { openSingletonPanel } from './panels';

const PAGE = 100;
const open = new Map<string, vscode.WebviewPanel>();

export async function showTimeline(extensionUri: vscode.Uri, doc: AuditLogDocument, sessionId: string, focusRowid?: number): Promise<void> {
  const key = `${doc.key}\n${sessionId}`;
  const panel = openSingletonPanel(open, key, extensionUri, { viewType: 'aiAuditLens.timeline', title: `Session ${sessionId}`, script: 'timeline' });
  if (!panel) {
    const existing = open.get(key)!;
    if (focusRowid !== undefined) await sendPage(existing.webview, doc, sessionId, 0, focusRowid);
    return;
  }
  const subscriptions = [
    panel.webview.onDidReceiveMessage(async (msg: TimelineToHost) => {
      try {
        await onMessage(panel.webview, doc, sessionId, msg, focusRowid);
      } catch (err) {
        void vscode.window.showErrorMessage(`AI Audit Lens: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
    doc.onDidChangeState((state) => {
      if (state.kind === 'loaded') void sendPage(panel.webview, doc, sessionId, 0); // the export was reloaded
    }),
  ];
  panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
}

async function sendPage(webview: vscode.Webview, doc: AuditLogDocument, sessionId: string, offset: number, focusRowid?: number): Promise<void> {
  const [page, sessions] = await Promise.all([
    doc.request({ kind: 'sessionEvents', sessionId, offset, limit: PAGE }),
    offset === 0 ? doc.request({ kind: 'sessions', filter: { sessionId } }) : Promise.resolve([]),
  ]);
  const msg: ToTimeline = {
    type: 'timeline',
    sessionId,
    title: doc.title,
    total: page.total,
    offset: page.offset,
    events: page.events,
    focusRowid,
    session: sessions[0] ?? null,
  };
  await webview.postMessage(msg);
}

async function onMessage(webview: vscode.Webview, doc: AuditLogDocument, sessionId: string, msg: TimelineToHost, focusRowid?: number): Promise<void> {
  switch (msg.type) {
    case 'ready':
      return sendPage(webview, doc, sessionId, 0, focusRowid);
    case 'sessionEvents':
      return sendPage(webview, doc, sessionId, Math.max(0, msg.offset | 0));
    case 'revealLine': {
      const uri = doc.uris[msg.fileIndex];
      if (uri) await revealLine(uri, msg.line);
      return;
    }
    case 'goToSource':
      await vscode.commands.executeCommand('aiAuditLens.goToSource', { doc, rowid: msg.rowid });
      return;
    case 'copyText':
      await vscode.env.clipboard.writeText(String(msg.text));
      void vscode.window.setStatusBarMessage('AI Audit Lens: copied as JSON', 3000);
      return;
    default:
      assertNever(msg);
  }
}
