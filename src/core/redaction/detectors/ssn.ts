// US Social Security numbers: AAA-GG-SSSS (dashes, or spaces; nine bare digits only right after an SSN keyword).
// Rejected as never issued: area 000, 666 or 900-999, group 00, serial 0000. An SSN keyword ("SSN",
// "social security") before the number, or as the JSON key, raises the confidence.
import type { Finding } from '../types';
import { finding, keywordBefore, type TextDetector, type TextHints } from './context';

const GROUPED = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?!\w|-\d)/g;
const BARE = /(?<![\w-])(\d{3})(\d{2})(\d{4})(?!\w|-\d)/g;
/** An SSN word right before the number: needed for nine bare digits. */
const SSN_WORDS_RIGHT_BEFORE = /(?:\bssn|social[ -]?security(?:\s+(?:number|no\.?))?|soc\.? ?sec\.?(?:\s*no\.?)?|\bss#|\btin|\bitin)\s*(?:number|no\.?|#)?\s*[:=#]?\s*["']?$/i;
const SSN_WORDS = /(?:\bssn|social[ -]?security|soc\.? ?sec|\bss#|sozialversicherung|tax ?id|\btin\b|\bitin\b)/i;

/** True when the parts can belong to an issued SSN. */
export function ssnPartsValid(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area[0] === '9') return false;
  return group !== '00' && serial !== '0000';
}

export const ssnDetector: TextDetector = {
  types: ['ssn'],
  find(text: string, out: Finding[], hints?: TextHints): void {
    GROUPED.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = GROUPED.exec(text)) !== null) {
      if (!ssnPartsValid(m[1], m[3], m[4])) continue;
      const keyword = keywordBefore(text, m.index, SSN_WORDS, 40, hints);
      const base = m[2] === '-' ? 0.85 : 0.7;
      out.push(finding(text, 'ssn', m.index, m.index + m[0].length, keyword ? base + 0.1 : base, 'ssn-ranges'));
    }
    BARE.lastIndex = 0;
    while ((m = BARE.exec(text)) !== null) {
      if (!ssnPartsValid(m[1], m[2], m[3])) continue;
      if (!keywordBefore(text, m.index, SSN_WORDS_RIGHT_BEFORE, 40, hints)) continue;
      out.push(finding(text, 'ssn', m.index, m.index + m[0].length, 0.7, 'ssn-ranges'));
    }
  },
};
