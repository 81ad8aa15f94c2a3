// Payment card numbers (PAN): 13-19 digits, optionally grouped by spaces or dashes (one separator kind; groups of
// four, or the 4-6-5 / 4-6-4 layout of Amex and Diners), Luhn-valid. A known issuer prefix (IIN) with the length
// that issuer uses gives high confidence; a Luhn-valid number with an unknown prefix is reported only next to a
// card keyword (10% of random digit strings pass Luhn, so ids would be flagged otherwise).
// Never reported: numbers failing Luhn, one repeated digit, runs that continue with more digits or letters, digits
// that continue an IBAN-shaped code, numbers followed by a unit ("1793737179811 ms").
import { luhnValid } from '../checksums';
import type { Finding } from '../types';
import { continuesIbanRun, finding, keywordBefore, type TextDetector, type TextHints } from './context';

const CANDIDATE = /(?<![\w./#-])\d(?:[ -]?\d){12,18}(?!\w|[./-]\w)/g;
const CARD_WORDS = /(?:card|visa|master ?card|amex|american express|discover|diners|jcb|maestro|unionpay|credit|debit|\bcc\b|\bpan\b|kreditkarte|karte|carte|tarjeta)/i;
/** A card word right before the number ("card number: ", "Visa "): needed for a number with an unknown issuer prefix. */
const CARD_WORDS_RIGHT_BEFORE = /(?:card|visa|master ?card|amex|credit|debit|\bcc|\bpan|kreditkarte|karte|carte|tarjeta)(?:\s*(?:number|no\.?|nr\.?|num|#))?\s*[:=#]?\s*["']?$/i;
const UNIT_AFTER = /^\s?(?:ms|bytes|tokens?|kb|mb|gb|%)(?![a-z])/i;
const NOT_CARD_WORDS = /(?:order|invoice|ticket|tracking|ref\b|reference|serial|sku|transaction|txn|confirmation|\bid\b|isbn|imei|bestell|rechnung|commande|facture)[^a-z]{0,6}(?:[a-z]+[^a-z]{1,3})?$/i;

/** Issuer prefixes and the lengths they issue (ISO/IEC 7812 registrations in common use). */
const ISSUERS: { name: string; prefix: RegExp; lengths: readonly number[] }[] = [
  { name: 'visa', prefix: /^4/, lengths: [13, 16, 19] },
  { name: 'mastercard', prefix: /^(?:5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/, lengths: [16] },
  { name: 'amex', prefix: /^3[47]/, lengths: [15] },
  { name: 'discover', prefix: /^6(?:011|5|4[4-9])/, lengths: [16, 17, 18, 19] },
  { name: 'diners', prefix: /^3(?:0[0-5]|[689])/, lengths: [14, 15, 16, 17, 18, 19] },
  { name: 'jcb', prefix: /^35(?:2[89]|[3-8])/, lengths: [16, 17, 18, 19] },
  { name: 'unionpay', prefix: /^62/, lengths: [16, 17, 18, 19] },
  { name: 'mir', prefix: /^220[0-4]/, lengths: [16, 17, 18, 19] },
  { name: 'maestro', prefix: /^(?:5[06-9]|6)/, lengths: [13, 14, 15, 16, 17, 18, 19] },
];

/** The issuer whose prefix and length match, or null. */
export function cardIssuer(digits: string): string | null {
  for (const issuer of ISSUERS) if (issuer.prefix.test(digits) && issuer.lengths.includes(digits.length)) return issuer.name;
  return null;
}

/** True when digit groups of these lengths are a layout cards are printed with: fours (last 1-4), 4-6-5 or 4-6-4. */
function plausibleLengths(groups: readonly number[]): boolean {
  if (groups.length === 1) return true;
  const joined = groups.join();
  if (joined === '4,6,5' || joined === '4,6,4') return true;
  const last = groups[groups.length - 1];
  return groups.slice(0, -1).every((n) => n === 4) && last >= 1 && last <= 4;
}

/** True when the candidate uses one separator kind (or none) in a plausible layout. */
function plausibleGrouping(candidate: string): boolean {
  const seps = candidate.replace(/\d/g, '');
  if (seps === '') return true;
  if (new Set(seps).size !== 1) return false;
  return plausibleLengths(candidate.split(seps[0]).map((g) => g.length));
}

/** The confidence of the candidate `text.slice(start, end)`, 0 when it is not reported. */
function scored(text: string, start: number, end: number, hints?: TextHints): number {
  const candidate = text.slice(start, end);
  if (!plausibleGrouping(candidate) || continuesIbanRun(text, start)) return 0;
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits) || !luhnValid(digits)) return 0;
  if (UNIT_AFTER.test(text.slice(end, end + 8))) return 0; // "1793737179811 ms"
  if (cardIssuer(digits) === null) return keywordBefore(text, start, CARD_WORDS_RIGHT_BEFORE, 40, hints) ? 0.75 : 0.45;
  if (keywordBefore(text, start, CARD_WORDS, 40, hints)) return 0.98;
  return keywordBefore(text, start, NOT_CARD_WORDS, 28, hints) ? 0.65 : 0.95;
}

export const paymentCardDetector: TextDetector = {
  types: ['credit_card'],
  find(text: string, out: Finding[], hints?: TextHints): void {
    CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CANDIDATE.exec(text)) !== null) {
      const start = m.index;
      const run = m[0];
      const sep = /[ -]/.exec(run)?.[0];
      // The whole run, or, for "4111 1111 1111 1111 123", the longest prefix of whole groups that is a plausible layout.
      const groups = sep ? run.split(sep) : [run];
      for (let k = groups.length; k >= 1; k--) {
        if (!plausibleLengths(groups.slice(0, k).map((g) => g.length))) continue;
        const end = start + groups.slice(0, k).join(sep ?? '').length;
        const confidence = scored(text, start, end, hints);
        if (confidence > 0) {
          out.push(finding(text, 'credit_card', start, end, confidence, 'luhn'));
          break;
        }
      }
    }
  },
};
