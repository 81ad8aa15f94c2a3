// The redaction preview of one export: findings by type with include/ignore, an allowlist, and for the record
// the user picks, the original and the redacted text side by side with the findings highlighted.
import * as vscode from 'vscode';
import { assertNever, type RedactionMode, type RedactionToHost, type ToRedaction } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import { revealLine } from './overviewView';
import type { RedactionController } from './redactionController';
import { openSingletonPanel } from './panels';

const open = new Map<AuditLogDocument, vscode.WebviewPanel>();

export function showRedactionPreview(extensionUri: vscode.Uri, doc: AuditLogDocument, controller: RedactionController): void {
  const panel = openSingletonPanel(open, doc, extensionUri, { viewType: 'aiAuditLens.redaction', title: `Redaction: ${doc.title}`, script: 'redaction' });
  if (!panel) return;
  const settings = () => vscode.workspace.getConfiguration('aiAuditLens.redaction');
  const post = (running: boolean, error?: string) => {
    const detect = controller.detectOptions();
    const msg: ToRedaction = {
      type: 'piiScan',
      title: doc.title,
      scan: controller.scanFor(doc) ?? null,
      running,
      ...(error ? { error } : {}),
      allTypes: controller.allTypes(),
      enabledTypes: [...(detect.types ?? [])],
      mode: controller.modes.get(doc) ?? 'tag',
      allowlist: [...(detect.allowlist?.values ?? [])],
    };
    void panel.webview.postMessage(msg);
  };
  const subscriptions = [
    controller.onDidChange((e) => {
      if (e.doc === doc) post(e.running, e.error);
    }),
    panel.webview.onDidReceiveMessage(async (msg: RedactionToHost) => {
      switch (msg.type) {
        case 'ready':
          post(false);
          if (!controller.scanFor(doc)) await controller.scan(doc);
          return;
        case 'revealLine': {
          const uri = doc.uris[msg.fileIndex] ?? doc.uri;
          return revealLine(uri, msg.line);
        }
        case 'copyText':
          await vscode.env.clipboard.writeText(String(msg.text));
          return;
        case 'previewRecord': {
          const mode: RedactionMode = controller.modes.get(doc) ?? 'tag';
          const p = await doc.request({ kind: 'redactPreview', fileIndex: msg.fileIndex, line: msg.line, detect: controller.detectOptions(), mode });
          if (p) void panel.webview.postMessage({ type: 'piiPreview', fileIndex: msg.fileIndex, line: msg.line, mode, ...p } satisfies ToRedaction);
          return;
        }
        case 'setOptions': {
          controller.modes.set(doc, msg.mode);
          // Include/ignore per type and the allowlist are settings of the workspace, so the copy uses them too.
          const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
          await settings().update('types', msg.types, target);
          await settings().update('allowlist', msg.allowlist.filter((v) => v.trim() !== ''), target);
          await controller.scan(doc);
          return;
        }
        case 'exportCopy':
          await controller.exportCopy(doc, { mode: controller.modes.get(doc) });
          return;
        default:
          assertNever(msg);
      }
    }),
  ];
  panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
}
