// Phone numbers: international (E.164 "+15550134477", "+44 20 7946 0958", "0049 30 1234567") and the common
// national formats of the US ("(555) 013-4477", "555-013-4477", "555.013.4477"), the UK ("020 7946 0958",
// "07700 900123"), Germany ("030 12345678", "089/1234567", "(030) 1234567") and France ("01 23 45 67 89",
// "06.12.34.56.78").
// A candidate is a run of digits and separators; it is reported only when its grouping matches one of those formats.
// Not phones: dates and timestamps, dotted version strings and IPs, runs preceded by "#", "-", "/", "." or a letter
// (order numbers like ORD-123456, ids), bare digit runs without a phone keyword nearby, and numbers right after
// words such as "order", "invoice", "ticket", "build", "version" (confidence lowered below the default minimum),
// and the tail of a longer grouped code ("DE88 3704 0044 0532 0130 00", an IBAN with a bad checksum).
import type { Finding } from '../types';
import { continuesIbanRun, finding, keywordBefore, textAfter, textBefore, type TextDetector, type TextHints } from './context';

/** Digits and separators, starting with "+", "(" or a digit and ending with a digit; at most 33 characters. */
const CANDIDATE = /(?<![\w+#@/.\-])\+?(?:\(\d{1,5}\)|\d)[\d \-./()]{4,24}\d(?![\w@]|[.\-/:]\d)/g;

const PHONE_WORDS = /(?:phone|tel\b|tel\.|telephone|call|mobile|cell|fax|whats ?app|sms|text me|contact|reach|dial|telefon|handy|mobil|rufnummer|anruf|t[ée]l[ée]phone|portable|t[ée]l\b|appel)/i;
const NOT_PHONE_WORDS = /(?:order|invoice|ticket|tracking|ref\b|reference|build|version|ver\.|serial|sku|case|\bpo\b|transaction|txn|confirmation|account|acct|\bid\b|isbn|bestell|rechnung|kunden|commande|facture|number of|total|amount|price|qty|quantity)[^a-z]{0,6}(?:[a-z]+[^a-z]{1,3})?$/i;
/** A digit group or an upper-case code with a digit right before: the candidate is the tail of a longer code. */
const GROUP_BEFORE = /(?:\d|(?<![\w])(?=[A-Z0-9]*\d)[A-Z0-9]{2,})[ .\-/]$/;
const UNIT_AFTER = /^\s?(?:%|€|\$|£|usd|eur|gbp|kg|km|ms|bytes|kb|mb|gb|tokens?\b|x\b)/i;

const DOTTED_OK = [/^0[1-9](?:\.\d{2}){4}$/, /^\(?\d{3}\)?\.\d{3}\.\d{4}$/];
const US = /^(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}$/;
const FR = /^0[1-9](?:[ .-]\d{2}){4}$/;
const UK = /^0\d{2,4} \d{3,4}(?: \d{3,4})?$/;
const DE = /^(?:\(0\d{2,5}\)|0\d{2,5})[ /-]?\d{3,9}(?:[ -]\d{1,5})?$/;

/** The confidence the format alone gives, 0 when it is not a phone number, -1 for a bare digit run (needs a keyword). */
function formatConfidence(candidate: string): number {
  const c = candidate.replace(/\s*\(0\)\s*/, ' '); // "+44 (0)20 …": the optional national trunk prefix
  const digits = c.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return 0;
  if (/^(\d)\1+$/.test(digits)) return 0;
  if (/\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/.test(c) || /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(c)) return 0; // dates
  const opens = c.split('(').length - 1;
  if (opens !== c.split(')').length - 1 || opens > 1) return 0;
  if (c.includes('.') && !DOTTED_OK.some((re) => re.test(c))) return 0; // versions, IPs, amounts
  if (c.startsWith('+') || /^00[1-9]/.test(c)) {
    const intl = c.startsWith('+') ? digits : digits.slice(2);
    const penalty = c.startsWith('+') ? 0 : 0.05;
    if (intl.startsWith('1')) return intl.length === 11 && /[2-9]/.test(intl[1]) ? 0.92 - penalty : 0;
    if (intl.startsWith('44')) return intl.length === 11 || intl.length === 12 ? 0.92 - penalty : 0;
    if (intl.startsWith('49')) return intl.length >= 10 && intl.length <= 14 ? 0.9 - penalty : 0;
    if (intl.startsWith('33')) return intl.length === 11 && intl[2] !== '0' ? 0.92 - penalty : 0;
    return intl.length >= 8 ? 0.75 - penalty : 0;
  }
  if (/^\d+$/.test(c)) {
    const nanp = (digits.length === 10 && /^[2-9]/.test(digits)) || (digits.length === 11 && /^1[2-9]/.test(digits));
    const trunk = /^0[1-9]/.test(digits) && digits.length >= 10 && digits.length <= 11;
    return nanp || trunk ? -1 : 0;
  }
  if (US.test(c)) return /^(?:1[ .-]?)?\(?[2-9]/.test(c) ? 0.85 : 0;
  if (FR.test(c)) return 0.85;
  if (UK.test(c) && digits.length >= 10 && digits.length <= 11) return 0.8;
  if (DE.test(c) && digits.length >= 8 && digits.length <= 12) return 0.75;
  return 0;
}

/** The confidence with the context, 0 when it is not reported. */
function scored(text: string, start: number, end: number, hints?: TextHints): number {
  const base = formatConfidence(text.slice(start, end));
  if (base === 0) return 0;
  if (UNIT_AFTER.test(textAfter(text, end, 8)) || GROUP_BEFORE.test(textBefore(text, start, 16)) || continuesIbanRun(text, start)) return 0;
  // The nearest context decides: "tel: … — Ticket 5031945170" is a ticket number.
  if (keywordBefore(text, start, NOT_PHONE_WORDS, 28, hints)) return base === -1 ? 0 : base - 0.4;
  const phoneWord = keywordBefore(text, start, PHONE_WORDS, 32, hints);
  if (base === -1) return phoneWord ? 0.7 : 0;
  if (phoneWord) return base + 0.06;
  return base;
}

/** Offsets where a shorter candidate may end: before each separator run, longest first. */
function groupEnds(text: string, start: number, end: number): number[] {
  const ends: number[] = [];
  for (let i = end - 1; i > start; i--) {
    const digit = /\d/.test(text[i - 1]);
    if (digit && !/[\d)]/.test(text[i])) ends.push(i);
  }
  return ends;
}

export const phoneDetector: TextDetector = {
  types: ['phone'],
  find(text: string, out: Finding[], hints?: TextHints): void {
    CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CANDIDATE.exec(text)) !== null) {
      const start = m.index;
      const end = start + m[0].length;
      // A phone number has at most 8 digit groups ("+33 6 12 34 56 78" has 6); a longer run ("1 2 3 4 5 6 7 8 9")
      // is a list or a table, not retried position by position (that would cost O(length²) on such input).
      if (m[0].split(/\D+/).filter((g) => g !== '').length > 8) continue;
      let found = false;
      // The whole run, then shorter prefixes ending at a group boundary ("555-013-4477 / 020 7946 0958").
      for (const e of [end, ...groupEnds(text, start, end)]) {
        const confidence = scored(text, start, e, hints);
        if (confidence > 0) {
          out.push(finding(text, 'phone', start, e, confidence, 'phone-format'));
          CANDIDATE.lastIndex = e;
          found = true;
          break;
        }
      }
      if (!found) {
        // Retry from the next group ("at 12 555 013 4477"): the position after the first separator run.
        const firstSep = m[0].search(/[^\d+(]/);
        if (firstSep > 0) {
          let next = start + firstSep;
          while (next < end && !/[\d+(]/.test(text[next])) next++;
          if (next < end) CANDIDATE.lastIndex = next;
        }
      }
    }
  },
};
