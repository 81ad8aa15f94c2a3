// Helpers to drive the VS Code workbench (code-server) from Playwright: the command palette, quick open,
// and the frames of a webview.

export async function waitForWorkbench(page, fileInExplorer) {
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  if (fileInExplorer) {
    await page.waitForSelector(`.explorer-folders-view .monaco-list-row[aria-label*="${fileInExplorer}"]`, { timeout: 60_000 });
  }
}

async function quickInput(page, opener, text) {
  await page.keyboard.press(opener);
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
}

async function acceptRow(page, label) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** Runs a palette command by its title (F1, type, pick the row). */
export async function runCommand(page, title) {
  await quickInput(page, 'F1', `>${title}`);
  await acceptRow(page, title);
}

/** Opens a workspace file through Quick Open (Ctrl+P). */
export async function quickOpen(page, fileName) {
  await quickInput(page, 'Control+P', fileName);
  await acceptRow(page, fileName);
}

/** Picks a row of the quick pick that is showing. */
export async function pickQuickItem(page, label) {
  await acceptRow(page, label);
}

/**
 * Answers VS Code's simple file dialog (a quick input) with a path and accepts it. The dialog fills its input with
 * the default folder asynchronously: wait for that first, or it overwrites what was typed.
 */
export async function answerFileDialog(page, filePath) {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('.quick-input-widget input.input')?.value.endsWith('/'), null, { timeout: 15_000 });
  // The dialog may still replace the value while it lists the folder: type until the value sticks, then accept,
  // and try again if the dialog is still open (it then says "Please select a file").
  for (let attempt = 0; attempt < 5; attempt++) {
    await input.fill(filePath);
    await page.waitForTimeout(400);
    if ((await input.inputValue()) !== filePath) continue;
    await input.press('Enter');
    try {
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch {
      /* still open: the value was replaced before Enter; try again */
    }
  }
  throw new Error(`the file dialog did not accept ${filePath}`);
}

/**
 * Polls every frame for a webview whose body text contains all `markers`, and returns that frame.
 * A webview is two frames deep: iframe.webview holds the frame with the extension's HTML.
 */
export async function findWebviewFrame(page, markers, { timeout = 60_000, state } = {}) {
  const deadline = Date.now() + timeout;
  let lastTexts = [];
  while (Date.now() < deadline) {
    lastTexts = [];
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        const info = await frame.evaluate(() => ({
          text: document.body ? document.body.innerText : '',
          state: document.getElementById('app')?.dataset.state ?? null,
        }));
        lastTexts.push(info.text.slice(0, 200));
        if ((!state || info.state === state) && markers.every((m) => info.text.includes(m))) return frame;
      } catch {
        /* frame navigated or detached */
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview showed ${JSON.stringify(markers)} within ${timeout} ms; frames showed: ${JSON.stringify(lastTexts)}`);
}
