// E-mail addresses. Found by scanning outwards from each "@" (no regex over the whole text, so a megabyte of
// letters costs one linear pass): a local part of up to 64 characters [A-Za-z0-9._%+-], a domain of at least two
// dot-separated labels (1-63 characters, no leading or trailing hyphen) ending in an alphabetic top-level domain.
// Rejected: `icon@2x.png` style asset names, a local part starting or ending with a dot or holding "..".
import type { Finding } from '../types';
import { finding, type TextDetector } from './context';

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
/** File extensions that look like top-level domains in asset names such as `logo@2x.png`. */
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'tif', 'tiff', 'avif', 'heic']);

function isLocalChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 /* . */ || c === 95 /* _ */ || c === 37 /* % */ || c === 43 /* + */ || c === 45 /* - */
  );
}

function isDomainChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** True when `domain` is a host name with at least two labels and an alphabetic TLD (not an asset name). */
function validDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-')) return false;
  }
  const tld = labels[labels.length - 1];
  if (!/^(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59})$/.test(tld)) return false;
  if (FILE_EXTENSIONS.has(tld.toLowerCase()) && /^\d+x$/i.test(labels[0])) return false;
  return true;
}

export const emailDetector: TextDetector = {
  types: ['email'],
  find(text: string, out: Finding[]): void {
    let at = text.indexOf('@');
    while (at !== -1) {
      // Local part: back from "@" while the characters can belong to it.
      let start = at;
      while (start > 0 && at - start < MAX_LOCAL + 1 && isLocalChar(text.charCodeAt(start - 1))) start--;
      // Domain: forward from "@".
      let end = at + 1;
      while (end < text.length && end - at - 1 < MAX_DOMAIN + 1 && isDomainChar(text.charCodeAt(end))) end++;
      const next = text.indexOf('@', Math.max(end, at + 1));
      if (at - start <= MAX_LOCAL && end - at - 1 <= MAX_DOMAIN) {
        while (start < at && text.charCodeAt(start) === 46) start++; // "...jane@" in prose: the dots are punctuation
        while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--; // "jane@example.com."
        const local = text.slice(start, at);
        const domain = text.slice(at + 1, end);
        if (local.length > 0 && !local.endsWith('.') && !local.includes('..') && validDomain(domain)) {
          out.push(finding(text, 'email', start, end, 0.97, 'email-syntax'));
        }
      }
      at = next;
    }
  },
};
