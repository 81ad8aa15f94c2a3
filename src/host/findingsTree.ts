// The "Findings" tree of the AI Audit Lens view: what the rules found in the focused export (prompt injection,
// leaks, outliers, bursts, retry storms, cost spikes, retention, missing fields, logging gaps), by severity.
import * as vscode from 'vscode';
import type { AuditFinding } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import { output } from './output';

const ORDER = ['critical', 'high', 'medium', 'low', 'info'] as const;
const ICON: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'info', info: 'info' };

type Node = { kind: 'severity'; severity: string; findings: AuditFinding[] } | { kind: 'finding'; finding: AuditFinding };

export class FindingsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private findings: AuditFinding[] = [];
  private doc: AuditLogDocument | undefined;

  get document(): AuditLogDocument | undefined {
    return this.doc;
  }

  get all(): AuditFinding[] {
    return this.findings;
  }

  async run(doc: AuditLogDocument): Promise<AuditFinding[]> {
    if (!(await doc.loaded)) return [];
    const retention = vscode.workspace.getConfiguration('aiAuditLens.findings').get<number>('retentionDays', 0);
    const findings = await doc.requestWithProgress(`AI Audit Lens: looking for findings in ${doc.title}`, { kind: 'findings', retentionDays: retention > 0 ? retention : undefined });
    this.doc = doc;
    this.findings = findings;
    const bySeverity = ORDER.map((s) => `${s} ${findings.filter((f) => f.severity === s).length}`).join(', ');
    output().info(`findings in ${doc.title}: ${findings.length} (${bySeverity})`);
    doc.setAnnotation('Findings', findings.length ? `${findings.length} (${bySeverity})` : 'none');
    void vscode.commands.executeCommand('setContext', 'aiAuditLens.hasFindings', findings.length > 0);
    this.changed.fire();
    return findings;
  }

  forget(doc: AuditLogDocument): void {
    if (this.doc !== doc) return;
    this.doc = undefined;
    this.findings = [];
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'severity') return node.findings.map((finding) => ({ kind: 'finding', finding }));
    if (node) return [];
    return ORDER.map((severity) => ({ kind: 'severity' as const, severity, findings: this.findings.filter((f) => f.severity === severity) })).filter((g) => g.findings.length);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'severity') {
      const item = new vscode.TreeItem(`${node.severity} (${node.findings.length})`, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(ICON[node.severity]);
      return item;
    }
    const f = node.finding;
    const item = new vscode.TreeItem(f.title, vscode.TreeItemCollapsibleState.None);
    item.description = `${f.rule} · ${f.eventCount} event${f.eventCount === 1 ? '' : 's'}${f.events[0] ? ` · line ${f.events[0].line}` : ''}`;
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendText(`${f.severity.toUpperCase()} · ${f.rule}\n${f.message}\n${f.ts ?? ''}`);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(ICON[f.severity]);
    item.command = { command: 'aiAuditLens.openFinding', title: 'Open', arguments: [f.id] };
    return item;
  }

  find(id: string): AuditFinding | undefined {
    return this.findings.find((f) => f.id === id);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
