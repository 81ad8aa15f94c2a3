// IBANs (ISO 13616): a listed country code, two check digits, then exactly the country's length of upper-case
// letters and digits, written compact or in groups separated by single spaces. Reported only when the mod-97
// check passes, so a typo or an invented number with a bad checksum is never reported. Lower-case IBANs are not
// looked for.
import { ibanMod97 } from '../checksums';
import { IBAN_LENGTHS } from '../ibanCountries';
import type { Finding } from '../types';
import { finding, type TextDetector } from './context';

const START = /(?<![A-Za-z0-9])([A-Z]{2})\d{2}(?=[ ]?[A-Z0-9])/g;

function isUpperAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

function isAlnum(c: number): boolean {
  return isUpperAlnum(c) || (c >= 97 && c <= 122);
}

export const ibanDetector: TextDetector = {
  types: ['iban'],
  find(text: string, out: Finding[]): void {
    START.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = START.exec(text)) !== null) {
      const length = IBAN_LENGTHS[m[1]];
      if (length === undefined) continue;
      const start = m.index;
      let i = start + 4;
      let compact = m[0];
      // Collect the BBAN, allowing one space between characters.
      while (compact.length < length && i < text.length) {
        const c = text.charCodeAt(i);
        if (isUpperAlnum(c)) {
          compact += text[i];
          i++;
        } else if (c === 32 && i + 1 < text.length && isUpperAlnum(text.charCodeAt(i + 1)) && text.charCodeAt(i - 1) !== 32) {
          i++;
        } else {
          break;
        }
      }
      if (compact.length !== length) continue;
      if (i < text.length && isAlnum(text.charCodeAt(i))) continue; // the run goes on: not this IBAN
      if (ibanMod97(compact) !== 1) continue;
      out.push(finding(text, 'iban', start, i, 0.97, 'iban-mod97'));
      START.lastIndex = i;
    }
  },
};
