// The integrity report of one export: verdict, findings with their class and line, profile, keys, export hash;
// export as JSON or Markdown to a new file the user chooses (never over the export).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { reportToJson, reportToMarkdown } from '../core/integrity/report';
import { assertNever, type IntegrityToHost, type ToIntegrity } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import type { IntegrityController } from './integrityController';
import { revealLine } from './overviewView';
import { openSingletonPanel } from './panels';

const open = new Map<AuditLogDocument, vscode.WebviewPanel>();

export function showIntegrityReport(extensionUri: vscode.Uri, doc: AuditLogDocument, controller: IntegrityController): void {
  const panel = openSingletonPanel(open, doc, extensionUri, { viewType: 'aiAuditLens.integrity', title: `Integrity: ${doc.title}`, script: 'integrity' });
  if (!panel) return;
  const post = (running: boolean, error?: string) => {
    const msg: ToIntegrity = { type: 'integrity', title: doc.title, report: controller.reportFor(doc) ?? null, running, ...(error ? { error } : {}) };
    void panel.webview.postMessage(msg);
  };
  const subscriptions = [
    controller.onDidChange((e) => {
      if (e.doc === doc) post(e.running, e.error);
    }),
    panel.webview.onDidReceiveMessage(async (msg: IntegrityToHost) => {
      switch (msg.type) {
        case 'ready':
          return post(false);
        case 'revealLine': {
          const uri = doc.uris[msg.fileIndex] ?? doc.uri;
          return revealLine(uri, msg.line);
        }
        case 'copyText':
          await vscode.env.clipboard.writeText(String(msg.text));
          return;
        case 'verifyAgain':
          await controller.verify(doc);
          return;
        case 'exportReport':
          await exportReport(doc, controller, msg.format);
          return;
        default:
          assertNever(msg);
      }
    }),
  ];
  panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
}

/** Writes the report to a new file the user picks; refuses the export itself. */
export async function exportReport(doc: AuditLogDocument, controller: IntegrityController, format: 'json' | 'markdown'): Promise<void> {
  const report = controller.reportFor(doc);
  if (!report) {
    void vscode.window.showInformationMessage('AI Audit Lens: verify the export first.');
    return;
  }
  const ext = format === 'json' ? 'json' : 'md';
  const target = await vscode.window.showSaveDialog({
    title: 'AI Audit Lens: save the integrity report',
    defaultUri: vscode.Uri.file(`${doc.uri.fsPath.replace(/(\.[a-z0-9]+)+$/i, '')}.integrity.${ext}`),
    filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
  });
  if (!target) return;
  if (doc.uris.some((u) => u.fsPath === target.fsPath)) {
    void vscode.window.showErrorMessage('AI Audit Lens: the report cannot be written over the export itself.');
    return;
  }
  fs.writeFileSync(target.fsPath, format === 'json' ? reportToJson(report) : reportToMarkdown(report));
  void vscode.window.showInformationMessage(`AI Audit Lens: integrity report saved to ${target.fsPath}`);
}
