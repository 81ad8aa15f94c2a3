// The workspace's .auditlens.json (JSONPath mappings, the integrity profile and keys): read only in a trusted
// workspace, the nearest one from the export's folder up to its workspace folder. In an untrusted workspace it is ignored, and the user is told so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { validateMappingConfig, type JsonPathMapping } from '../core/formats/jsonpathMapping';
import { output } from './output';

export interface WorkspaceConfig {
  /** The parsed file, or undefined when there is none or it was not read. */
  json: Record<string, unknown> | undefined;
  folder: string | undefined;
  file: string | undefined;
  /** Why it was not read (untrusted workspace), for the output channel and the views. */
  note: string | null;
}

/** The nearest .auditlens.json from the export's folder up to its workspace folder (never above it). */
function findConfigFile(uri: vscode.Uri, folder: string): string | undefined {
  let dir = path.dirname(uri.fsPath);
  for (;;) {
    const candidate = path.join(dir, '.auditlens.json');
    if (fs.existsSync(candidate)) return candidate;
    const rel = path.relative(folder, dir);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    dir = path.dirname(dir);
  }
}

export function readWorkspaceConfig(uri: vscode.Uri): WorkspaceConfig {
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  if (!folder) return { json: undefined, folder, file: undefined, note: null };
  const file = findConfigFile(uri, folder);
  if (!file) return { json: undefined, folder, file: undefined, note: null };
  if (!vscode.workspace.isTrusted) {
    return { json: undefined, folder, file, note: '.auditlens.json was not read because the workspace is not trusted: its JSONPath mappings, integrity profile, key paths and digest are ignored. Trust the workspace to use them.' };
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${file}: must hold a JSON object`);
  // Paths in the file are relative to the folder that holds it.
  return { json: json as Record<string, unknown>, folder: path.dirname(file), file, note: null };
}

/** The JSONPath mappings of the export's workspace, validated; problems are reported and the mappings skipped. */
export function workspaceMappings(uri: vscode.Uri): JsonPathMapping[] {
  let config: WorkspaceConfig;
  try {
    config = readWorkspaceConfig(uri);
  } catch (err) {
    void vscode.window.showErrorMessage(`AI Audit Lens: ${(err as Error).message}`);
    return [];
  }
  if (config.note) output().warn(config.note);
  if (!config.json || config.json.mappings === undefined) return [];
  const parsed = validateMappingConfig(config.json);
  if (!parsed.ok) {
    const message = `${config.file}: ${parsed.errors.join('; ')}`;
    output().error(message);
    void vscode.window.showErrorMessage(`AI Audit Lens: the JSONPath mappings were not used. ${message}`);
    return [];
  }
  return parsed.config.mappings;
}
