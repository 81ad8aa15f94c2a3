// "AI Audit Lens: Preview JSONPath Mappings": applies the mappings of .auditlens.json to the first records of an
// export and shows, in a read-only Markdown document, what each mapping gives and which paths matched nothing.
import * as vscode from 'vscode';
import { previewMapping, type JsonPathMapping } from '../core/formats/jsonpathMapping';
import { READERS } from '../core/ingest/readers';
import { detectFormat } from '../core/ingest/detectFormat';
import { isGzipFile } from '../core/ingest/lineReader';
import { readWorkspaceConfig, workspaceMappings } from './workspaceConfig';

const SAMPLE = 200;

/** Escapes text for a Markdown table cell (log content is shown as text, never as markup). */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ').slice(0, 120);
}

async function firstRecords(uri: vscode.Uri): Promise<unknown[]> {
  const det = await detectFormat(uri.fsPath, uri.path.split('/').pop() ?? '', isGzipFile(uri.fsPath));
  const out: unknown[] = [];
  for await (const ev of READERS[det.format](uri.fsPath)) {
    if (ev.kind === 'value') out.push(ev.value);
    if (out.length >= SAMPLE) break;
  }
  return out;
}

export async function previewMappings(uri: vscode.Uri | undefined): Promise<void> {
  if (!uri) {
    void vscode.window.showInformationMessage('AI Audit Lens: open an audit log first.');
    return;
  }
  const ws = readWorkspaceConfig(uri);
  if (ws.note) {
    void vscode.window.showWarningMessage(`AI Audit Lens: ${ws.note}`);
    return;
  }
  if (!ws.json || ws.json.mappings === undefined) {
    void vscode.window.showInformationMessage('AI Audit Lens: the workspace has no .auditlens.json with "mappings". See docs/schema.md for examples.');
    return;
  }
  const mappings: JsonPathMapping[] = workspaceMappings(uri);
  if (mappings.length === 0) return;
  const records = await firstRecords(uri);
  const lines = [`# JSONPath mappings on the first ${records.length} records of ${cell(uri.path.split('/').pop())}`, ''];
  for (const m of mappings) {
    const p = previewMapping(records, m);
    lines.push(`## ${cell(m.name)}`, '', `Applies to ${p.matching} of ${p.records} records (match \`${m.match.replace(/`/g, "'")}\`).`, '');
    lines.push('| field | path | found in |', '|---|---|---|');
    for (const f of p.fields) lines.push(`| ${f.field} | ${cell(f.path)} | ${f.hits} of ${p.matching} |`);
    if (p.unmatchedPaths.length) {
      lines.push('', `**Matched nothing:** ${p.unmatchedPaths.map((u) => `${u.field} (${cell(u.path)})`).join(', ')}`);
    }
    lines.push('', '| time | kind | session | user | model | tokens in/out | preview |', '|---|---|---|---|---|---|---|');
    for (const e of p.events.slice(0, 20)) {
      lines.push(`| ${cell(e.ts)} | ${e.kind} | ${cell(e.sessionId)} | ${cell(e.userId)} | ${cell(e.requestModel)} | ${e.inputTokens ?? ''}/${e.outputTokens ?? ''} | ${cell(e.preview)} |`);
    }
    lines.push('');
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
