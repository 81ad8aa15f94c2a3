// Token and cost charts: one webview panel per export, following the export's filter; clicking a bar filters.
import * as vscode from 'vscode';
import { assertNever, type Bucket, type ChartsToHost, type StackBy, type ToCharts } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import { openSingletonPanel } from './panels';

const open = new Map<AuditLogDocument, vscode.WebviewPanel>();

export function showCharts(extensionUri: vscode.Uri, doc: AuditLogDocument): void {
  const panel = openSingletonPanel(open, doc, extensionUri, { viewType: 'aiAuditLens.charts', title: `Charts: ${doc.title}`, script: 'charts', styles: ['uPlot.min.css'] });
  if (!panel) return;
  let stackBy: StackBy = 'model';
  let bucket: Bucket | undefined;
  const send = async () => {
    if (doc.state.kind !== 'loaded') return;
    const data = await doc.request({ kind: 'charts', filter: doc.filter, stackBy, bucket });
    const msg: ToCharts = { type: 'charts', title: doc.title, data, filter: doc.filter, prices: doc.state.summary.prices };
    await panel.webview.postMessage(msg);
  };
  const subscriptions = [
    doc.onDidChangeFilter(() => void send()),
    doc.onDidChangeState((s) => {
      if (s.kind === 'loaded') void send();
    }),
    panel.webview.onDidReceiveMessage(async (msg: ChartsToHost) => {
      switch (msg.type) {
        case 'ready':
          return send();
        case 'charts':
          stackBy = msg.stackBy;
          bucket = msg.bucket;
          return send();
        case 'setFilter':
          return doc.setFilter(msg.filter);
        case 'openTimeline':
          await vscode.commands.executeCommand('aiAuditLens.openTimeline', { doc, sessionId: msg.sessionId });
          return;
        case 'revealLine':
          return; // the charts show no lines
        case 'copyText':
          await vscode.env.clipboard.writeText(String(msg.text));
          return;
        default:
          assertNever(msg);
      }
    }),
  ];
  panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
}
