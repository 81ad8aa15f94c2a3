// Palette commands of the "AI Audit Lens" category.
import * as vscode from 'vscode';
import { output } from './output';
import { VIEW_TYPE_DEFAULT, VIEW_TYPE_OPTION } from './auditLogEditorProvider';

const EXPORT_FILTERS = { 'Audit log exports': ['jsonl', 'json', 'csv', 'gz'], 'All files': ['*'] };

/** "AI Audit Lens: Open Audit Log…": picks an export (or takes the one given) and opens it in the custom editor. */
export async function openAuditLog(target?: vscode.Uri): Promise<void> {
  let uri = target instanceof vscode.Uri ? target : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Open Audit Log',
      title: 'AI Audit Lens: Open Audit Log',
      filters: EXPORT_FILTERS,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    uri = picked?.[0];
  }
  if (!uri) return;
  const viewType = /\.audit\.jsonl$/i.test(uri.path) ? VIEW_TYPE_DEFAULT : VIEW_TYPE_OPTION;
  await vscode.commands.executeCommand('vscode.openWith', uri, viewType);
}

export function registerCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('aiAuditLens.openAuditLog', openAuditLog),
    vscode.commands.registerCommand('aiAuditLens.showLog', () => output().show(true)),
  );
}
