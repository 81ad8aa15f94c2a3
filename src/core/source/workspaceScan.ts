// Lists and reads a workspace folder from disk for the command line (the extension lists files with VS Code's own
// file search and passes them to the same functions). Symbolic links are never followed: neither linked folders nor
// linked files are listed, so nothing outside the folder is listed or read.
import fs from 'node:fs';
import nodePath from 'node:path';
import type { PromptIndexFile } from './promptMatch';
import { templateLanguageOf } from './templateExtract';

/** Folders of dependencies, build output, caches and version control: neither listed nor read. */
export const SKIPPED_FOLDERS = [
  'node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', 'site-packages',
  '.tox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.next', '.nuxt', '.turbo', 'coverage', 'target', 'bin', 'obj',
  'vendor', '.yarn', '.gradle', '.idea',
];

export interface ScanOptions {
  /** Most files listed (default 100,000). */
  maxFiles?: number;
  skipFolders?: readonly string[];
}

/** The files under `root`, relative and `/`-separated, sorted; skipped folders and symbolic links left out. */
export function listWorkspaceFiles(root: string, options: ScanOptions = {}): string[] {
  const max = options.maxFiles ?? 100_000;
  const skip = new Set(options.skipFolders ?? SKIPPED_FOLDERS);
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= max) return;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (!skip.has(e.name)) walk(nodePath.join(dir, e.name), r);
      } else if (e.isFile()) {
        out.push(r);
      }
    }
  };
  walk(root, '');
  return out;
}

/**
 * The files that may hold prompts (code and prompt files, by extension), read as UTF-8, at most `maxBytes` each
 * (default 2 MiB). Files are opened only after checking, with lstat, that they are regular files inside `root`.
 */
export function readPromptFiles(root: string, files: readonly string[], folder = 0, maxBytes = 2 * 1024 * 1024): PromptIndexFile[] {
  const base = fs.realpathSync(root);
  const out: PromptIndexFile[] = [];
  for (const rel of files) {
    if (!templateLanguageOf(rel)) continue;
    const abs = nodePath.join(base, rel);
    const inside = nodePath.relative(base, abs);
    if (inside.startsWith('..') || nodePath.isAbsolute(inside)) continue;
    try {
      const st = fs.lstatSync(abs);
      if (!st.isFile() || st.size > maxBytes) continue;
      if (fs.realpathSync(abs) !== abs) continue; // a linked folder on the way
      out.push({ path: rel, text: fs.readFileSync(abs, 'utf8'), folder });
    } catch {
      /* gone or unreadable: skip */
    }
  }
  return out;
}
