// "AI Audit Lens: Show System Events": configuration changes (opened before/after in VS Code's diff editor),
// document uploads and deletions with who and when, access and security events.
import * as vscode from 'vscode';
import type { SystemEvents } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import { revealLine } from './overviewView';

export const CHANGE_SCHEME = 'aiauditlens-change';

/** Read-only documents holding the before/after text of a logged configuration change. */
export class ChangeContentProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  set(key: string, text: string): vscode.Uri {
    this.texts.set(key, text);
    return vscode.Uri.from({ scheme: CHANGE_SCHEME, path: `/${key}` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path.slice(1)) ?? '';
  }
}

type Item = vscode.QuickPickItem & { open?: () => Promise<void> };

/** Lists the system events in a quick pick; `listOnly` returns them without asking, `openChange` opens one change's diff. */
export async function showSystemEvents(doc: AuditLogDocument, changes: ChangeContentProvider, options: { listOnly?: boolean; openChange?: number } = {}): Promise<SystemEvents | undefined> {
  if (!(await doc.loaded)) return undefined;
  const ev = await doc.request({ kind: 'systemEvents' });
  if (options.listOnly) return ev;
  const at = (e: { ts: string | null; actor: string | null; line: number }) => `${e.ts ?? '—'}${e.actor ? ` by ${e.actor}` : ''} · line ${e.line}`;
  const reveal = (e: { fileIndex: number; line: number }) => async () => revealLine(doc.uris[e.fileIndex] ?? doc.uri, e.line);
  const items: Item[] = [];
  if (ev.configChanges.length) items.push({ label: 'Configuration changes', kind: vscode.QuickPickItemKind.Separator });
  for (const c of ev.configChanges) {
    items.push({
      label: `$(diff) ${c.target ?? 'setting'} changed`,
      description: `${c.category}`,
      detail: at(c),
      open: async () => {
        const key = `${doc.title}/${c.rowid}`;
        const left = changes.set(`${key}/before/${c.target ?? 'setting'}`, c.before ?? '(not logged)');
        const right = changes.set(`${key}/after/${c.target ?? 'setting'}`, c.after ?? '(not logged)');
        await vscode.commands.executeCommand('vscode.diff', left, right, `${c.target ?? 'setting'}: before ↔ after (${c.ts ?? 'line ' + c.line})`);
      },
    });
  }
  if (ev.documents.length) items.push({ label: 'Documents', kind: vscode.QuickPickItemKind.Separator });
  for (const d of ev.documents) items.push({ label: `$(file) ${d.operation}: ${d.document ?? '—'}`, detail: at(d), open: reveal(d) });
  if (ev.access.length) items.push({ label: 'Access', kind: vscode.QuickPickItemKind.Separator });
  for (const a of ev.access) items.push({ label: `$(account) ${a.action ?? 'access'}: ${a.userId ?? a.actor ?? '—'}`, description: a.detail ?? '', detail: at(a), open: reveal(a) });
  if (ev.security.length) items.push({ label: 'Security', kind: vscode.QuickPickItemKind.Separator });
  for (const s of ev.security) items.push({ label: `$(shield) ${s.action ?? 'security'}`, description: s.detail ?? '', detail: at(s), open: reveal(s) });
  if (options.openChange !== undefined) {
    const change = ev.configChanges[options.openChange];
    const item = items.find((i) => i.detail === (change ? at(change) : undefined) && i.label.includes('changed'));
    await item?.open?.();
    return ev;
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`AI Audit Lens: ${doc.title} holds no system events.`);
    return ev;
  }
  const pick = await vscode.window.showQuickPick(items, { title: `AI Audit Lens: system events of ${doc.title}`, matchOnDescription: true, matchOnDetail: true });
  await pick?.open?.();
  return ev;
}
