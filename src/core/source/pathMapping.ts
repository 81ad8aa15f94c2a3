// Maps a path logged on another machine (/app/src/bot.ts, C:\build\src\bot.ts, file:///srv/app/bot.py,
// ./src/bot.ts, webpack:///src/bot.ts) to files of the open workspace, by the longest match of trailing path
// segments against the list of workspace files the caller passes.
//
// Security: whatever the log says (../, absolute paths elsewhere, UNC \\server\share, file: and other URI schemes),
// a result is always an entry of the caller's workspace file list: the logged path is only ever compared with those
// entries, never opened, joined or resolved. Entries that are not plain relative paths (absolute, drive letters,
// `..` segments, NUL or control characters) are left out of the index. The caller still realpath-checks the file it
// opens (a workspace entry may be a symlink). See docs/source-locations.md.

export interface WorkspaceFolderFiles {
  /** The folder's root as the caller knows it (a path or URI string); only used to build `absolutePath`. */
  root: string;
  /** Paths relative to the root, `/` or `\` separated. */
  files: readonly string[];
}

export interface PathCandidate {
  /** Index of the workspace folder. */
  folder: number;
  root: string;
  /** The entry of the folder's file list, exactly as given. */
  path: string;
  /** root + path. */
  absolutePath: string;
  /** How many trailing segments of the logged path match the entry (the file name always does). */
  matchedSegments: number;
  /** matchedSegments / segments of the shorter of the two paths (1 = one is a suffix of the other), lowered a
   * little when the match needed case folding. */
  score: number;
}

interface Entry {
  folder: number;
  path: string;
  segments: string[];
}

export interface PathIndex {
  readonly folders: readonly WorkspaceFolderFiles[];
  /** Lowercased file name → entries. */
  readonly byName: ReadonlyMap<string, readonly Entry[]>;
  /** `${folder}\0${path}` of every indexed entry. */
  readonly keys: ReadonlySet<string>;
  /** Entries refused as not plain relative paths. */
  readonly refused: number;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const DRIVE = /^[a-zA-Z]:$/;
const MAX_LOGGED_PATH = 4096;

/** The segments of a workspace-relative path, or null when it is not a plain relative path. */
export function relativeSegments(rel: string): string[] | null {
  if (!rel || CONTROL.test(rel)) return null;
  const p = rel.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return null;
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.some((s) => s === '..')) return null;
  return segments;
}

export function buildPathIndex(folders: readonly WorkspaceFolderFiles[]): PathIndex {
  const byName = new Map<string, Entry[]>();
  const keys = new Set<string>();
  let refused = 0;
  folders.forEach((f, folder) => {
    for (const path of f.files) {
      const segments = relativeSegments(path);
      if (!segments) {
        refused++;
        continue;
      }
      const key = `${folder}\0${path}`;
      if (keys.has(key)) continue;
      keys.add(key);
      const name = segments[segments.length - 1].toLowerCase();
      const list = byName.get(name);
      if (list) list.push({ folder, path, segments });
      else byName.set(name, [{ folder, path, segments }]);
    }
  });
  return { folders, byName, keys, refused };
}

/** Whether `path` is an entry of folder `folder`'s file list (as indexed). */
export function isWorkspaceEntry(index: PathIndex, folder: number, path: string): boolean {
  return index.keys.has(`${folder}\0${path}`);
}

/**
 * The segments of a logged path to compare: URI scheme, authority-less slashes, query and fragment, drive letter,
 * `.` and empty segments removed, `..` applied lexically (never above the start), a trailing `:line[:column]`
 * dropped. Null when there is nothing usable (empty, too long, control characters).
 */
export function loggedPathSegments(logged: string): string[] | null {
  if (typeof logged !== 'string') return null;
  let p = logged.trim();
  if (!p || p.length > MAX_LOGGED_PATH || CONTROL.test(p)) return null;
  p = p.replace(/:\d+(:\d+)?$/, ''); // "bot.ts:42:7"
  // A URI (file:, webpack:, vscode-remote:, http:, …): keep its path. One letter before ":" is a drive letter.
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(p);
  if (scheme) {
    p = p.slice(scheme[0].length).replace(/[?#].*$/, '');
    try {
      p = decodeURIComponent(p);
    } catch {
      /* keep it as logged */
    }
    if (CONTROL.test(p)) return null;
  }
  p = p.replace(/\\/g, '/');
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      out.pop();
      continue;
    }
    out.push(s);
  }
  while (out.length && (DRIVE.test(out[0]) || out[0] === '?')) out.shift(); // C:, \\?\C:
  return out.length ? out : null;
}

/**
 * Workspace files a logged path may be: the entries whose trailing segments match the most trailing segments of
 * the logged path (the file name at least). Several entries tie when they match as many segments; all are returned,
 * best score first. An empty list when no entry has the file name. `exclude` leaves entries out before choosing.
 */
export function mapPath(index: PathIndex, logged: string, options: { exclude?: (path: string) => boolean } = {}): PathCandidate[] {
  const segs = loggedPathSegments(logged);
  if (!segs) return [];
  const entries = index.byName.get(segs[segs.length - 1].toLowerCase());
  if (!entries) return [];
  let best = 0;
  const scored: { e: Entry; matched: number; folded: boolean }[] = [];
  for (const e of entries) {
    if (options.exclude?.(e.path)) continue;
    let matched = 0;
    let folded = false;
    while (matched < segs.length && matched < e.segments.length) {
      const a = segs[segs.length - 1 - matched];
      const b = e.segments[e.segments.length - 1 - matched];
      if (a === b) matched++;
      else if (a.toLowerCase() === b.toLowerCase()) {
        matched++;
        folded = true;
      } else break;
    }
    if (matched === 0) continue;
    best = Math.max(best, matched);
    scored.push({ e, matched, folded });
  }
  return scored
    .filter((s) => s.matched === best)
    .map(({ e, matched, folded }): PathCandidate => {
      const root = index.folders[e.folder].root;
      return {
        folder: e.folder,
        root,
        path: e.path,
        absolutePath: joinRoot(root, e.segments),
        matchedSegments: matched,
        score: (matched / Math.min(segs.length, e.segments.length)) * (folded ? 0.9 : 1),
      };
    })
    .sort((a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.folder - b.folder));
}

/** root + segments with the root's own separator. */
export function joinRoot(root: string, segments: readonly string[]): string {
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return root.replace(/[\\/]+$/, '') + sep + segments.join(sep);
}
