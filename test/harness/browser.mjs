// Launches the harness's Chromium (shipped in an npm tarball) with the flags that work on these machines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ensureHarness } from './install.mjs';

export async function launchBrowser() {
  const h = await ensureHarness();
  const executablePath = process.env.AUDITLENS_CHROMIUM || h.chromiumBin;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-chromium-'));
  // A persistent context is how Chromium gets its own --user-data-dir under Playwright.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    // Without it Chromium takes the language from a POSIX locale ("en-US@posix"), which Intl rejects.
    locale: 'en-US',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
