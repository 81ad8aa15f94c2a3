// Formatting of log content for display. Everything from a log is set with textContent, never as HTML;
// invisible and direction-changing characters are made visible so they cannot disguise text.

const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Replaces control, zero-width and bidi-override characters with a visible ⟨U+XXXX⟩ marker. */
export function makeVisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string } = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = makeVisible(props.text);
  if (props.title !== undefined) node.title = makeVisible(props.title);
  for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(makeVisible(child)) : child);
  return node;
}

const int = new Intl.NumberFormat('en-US');
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });

export const fmtInt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : int.format(n));
const usdSmall = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });
/** Dollars; amounts under a cent keep three significant digits ($0.0000315), so a cheap call never reads $0.00. */
export const fmtUsd = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n !== 0 && Math.abs(n) < 0.01 ? usdSmall.format(n) : usd.format(n));

export function fmtBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** "2026-11-01 10:00:00Z" for an ISO timestamp (UTC, as logged); the local time goes in the title. */
export function fmtUtc(iso: string | null): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function fmtLocal(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `Local time: ${d.toLocaleString()}`;
}
