// Secrets with a structure to check: JSON Web Tokens (three base64url parts; the header must decode to a JSON
// object with an "alg"), and PEM private key blocks (from the BEGIN line to the END line; a block cut off before
// its END line is reported up to where its base64 body stops, since even part of a key must not leak).
import type { Finding } from '../types';
import { finding, type TextDetector } from './context';

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,8000}\.eyJ[A-Za-z0-9_-]{2,16000}\.[A-Za-z0-9_-]{0,8000}(?![A-Za-z0-9_-])/g;
const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const MAX_PEM = 128 * 1024;

/** The JSON object a base64url part decodes to, or null. */
function decodeJsonPart(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const jwtDetector: TextDetector = {
  types: ['jwt'],
  find(text: string, out: Finding[]): void {
    JWT.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = JWT.exec(text)) !== null) {
      const [header, payload, signature] = m[0].split('.');
      const h = decodeJsonPart(header);
      if (!h || typeof h.alg !== 'string' || decodeJsonPart(payload) === null) continue;
      const unsigned = signature === '' || h.alg.toLowerCase() === 'none';
      out.push(finding(text, 'jwt', m.index, m.index + m[0].length, unsigned ? 0.85 : 0.96, 'jwt-header'));
    }
  },
};

/** True for the characters of a PEM body (base64, line breaks, ":", ",", "-"; no blanks, so prose after a cut-off key is not swallowed). */
function isPemBodyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61 || c === 10 || c === 13 || c === 58 || c === 44 || c === 45;
}

export const privateKeyDetector: TextDetector = {
  types: ['private_key'],
  find(text: string, out: Finding[]): void {
    PEM_BEGIN.lastIndex = 0;
    PEM_END.lastIndex = 0;
    // The next END line at or after the current body, searched forward only (null: none in the rest of the text).
    let end$: RegExpExecArray | null = null;
    let searchedFrom = -1;
    let m: RegExpExecArray | null;
    while ((m = PEM_BEGIN.exec(text)) !== null) {
      const start = m.index;
      const bodyFrom = start + m[0].length;
      if (searchedFrom === -1 || (end$ !== null && end$.index < bodyFrom)) {
        PEM_END.lastIndex = bodyFrom;
        end$ = PEM_END.exec(text);
        searchedFrom = bodyFrom;
      }
      let end: number;
      if (end$ !== null && end$.index - start <= MAX_PEM && !text.slice(bodyFrom, end$.index).includes('-----BEGIN ')) {
        end = end$.index + end$[0].length;
      } else {
        // Truncated: the body runs until a character that cannot belong to it (or another BEGIN line).
        end = bodyFrom;
        const limit = Math.min(text.length, start + MAX_PEM);
        while (end < limit && isPemBodyChar(text.charCodeAt(end)) && !text.startsWith('-----', end)) end++;
        while (end > bodyFrom && /\s/.test(text[end - 1])) end--;
      }
      out.push(finding(text, 'private_key', start, end, 0.99, 'pem-block'));
      PEM_BEGIN.lastIndex = end;
    }
  },
};
