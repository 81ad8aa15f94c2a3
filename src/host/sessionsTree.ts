// The "Sessions" tree in the AI Audit Lens activity-bar view: the sessions of the focused export that match its
// filter, grouped by user or by day, with event count, cost and flags; a click opens the timeline.
import * as vscode from 'vscode';
import type { SessionRow } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';

export type GroupBy = 'user' | 'day';

type Node = { kind: 'group'; label: string; sessions: SessionRow[] } | { kind: 'session'; session: SessionRow };

const money = (n: number) => (n >= 0.01 ? `$${n.toFixed(2)}` : n > 0 ? `$${n.toFixed(4)}` : '$0');

export class SessionsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private doc: AuditLogDocument | undefined;
  private docSubscriptions: vscode.Disposable[] = [];
  private sessions: SessionRow[] = [];

  constructor(private readonly memento: vscode.Memento) {}

  get groupBy(): GroupBy {
    return this.memento.get<GroupBy>('aiAuditLens.sessions.groupBy', 'user');
  }

  async setGroupBy(g: GroupBy): Promise<void> {
    await this.memento.update('aiAuditLens.sessions.groupBy', g);
    this.changed.fire();
  }

  get document(): AuditLogDocument | undefined {
    return this.doc;
  }

  /** Shows the sessions of this export (the last AI Audit Lens view that had focus). */
  follow(doc: AuditLogDocument | undefined): void {
    if (doc === this.doc || doc === undefined) return;
    this.docSubscriptions.forEach((s) => s.dispose());
    this.doc = doc;
    this.docSubscriptions = [
      doc.onDidChangeFilter(() => void this.refresh()),
      doc.onDidChangeState((s) => {
        if (s.kind !== 'loading') void this.refresh();
      }),
    ];
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const doc = this.doc;
    this.sessions = doc && doc.state.kind === 'loaded' ? await doc.request({ kind: 'sessions', filter: doc.filter }) : [];
    void vscode.commands.executeCommand('setContext', 'aiAuditLens.hasSessions', this.sessions.length > 0);
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'group') return node.sessions.map((session) => ({ kind: 'session', session }));
    if (node) return [];
    const groups = new Map<string, SessionRow[]>();
    for (const s of this.sessions) {
      const key = this.groupBy === 'user' ? (s.userId ?? '(no user)') : (s.start?.slice(0, 10) ?? '(no time)');
      const list = groups.get(key) ?? [];
      list.push(s);
      groups.set(key, list);
    }
    const keys = [...groups.keys()].sort((a, b) => (this.groupBy === 'day' ? b.localeCompare(a) : a.localeCompare(b)));
    return keys.map((label) => ({ kind: 'group', label, sessions: groups.get(label)! }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const cost = node.sessions.reduce((n, s) => n + s.costUsd, 0);
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.sessions.length} session${node.sessions.length === 1 ? '' : 's'} · ${money(cost)}`;
      item.iconPath = new vscode.ThemeIcon(this.groupBy === 'user' ? 'person' : 'calendar');
      item.contextValue = 'group';
      return item;
    }
    const s = node.session;
    const item = new vscode.TreeItem(s.id, vscode.TreeItemCollapsibleState.None);
    const flags = s.flags + s.errors;
    item.description = `${s.events} events · ${money(s.costUsd)}${s.unpriced ? ' + unpriced' : ''}${flags ? ` · ⚑ ${flags}` : ''}`;
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendText(`Session ${s.id}\nUser: ${s.userId ?? '—'}\nStart (UTC): ${s.start ?? '—'}\nEnd (UTC): ${s.end ?? '—'}\n`);
    md.appendText(`Events: ${s.events}, model calls: ${s.llmCalls}, tokens in/out: ${s.inputTokens}/${s.outputTokens}\n`);
    md.appendText(`Cost: ${money(s.costUsd)}${s.unpriced ? ` (${s.unpriced} unpriced calls not counted)` : ''}\nErrors: ${s.errors}, flagged: ${s.flags}\nResolution: ${s.resolution ?? '—'}`);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(s.flags ? 'warning' : s.errors ? 'error' : s.resolution === 'resolved' ? 'pass' : 'comment-discussion');
    item.contextValue = 'session';
    item.command = { command: 'aiAuditLens.openTimeline', title: 'Open Timeline', arguments: [s.id] };
    return item;
  }

  dispose(): void {
    this.docSubscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
