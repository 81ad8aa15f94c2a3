// Dates of birth: a date reported only when it follows a birth keyword within a few words ("born on 12 April
// 1985", "DOB: 04/12/1985", "date of birth 1985-04-12", "geboren am 12.04.1985", "née le 12 avril 1985"). Any
// other date (timestamps, deadlines, order dates) is left alone. The date must be a real calendar date (month
// 1-12, day 1-31 in either day-month or month-day order) in a year from 1900 to this year.
import type { Finding } from '../types';
import { finding, type TextDetector, type TextHints } from './context';

const KEYWORD = /\b(?:born|d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|geboren|geb\.|geburtsdatum|geburtstag|n[ée]e?(?=\s)|date\s+de\s+naissance|fecha\s+de\s+nacimiento)/gi;
const KEY_NAME = /^(?:dob|date_?of_?birth|birth_?date|birthday|geburtsdatum)$/i;

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7, jul: 7,
  august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
  januar: 1, februar: 2, märz: 3, maerz: 3, mai: 5, juni: 6, juli: 7, oktober: 10, okt: 10, dezember: 12, dez: 12,
  janvier: 1, février: 2, fevrier: 2, mars: 3, avril: 4, juin: 6, juillet: 7, août: 8, aout: 8, septembre: 9,
  octobre: 10, novembre: 11, décembre: 12, decembre: 12,
};
const MONTH = `(${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})`;
const LEAD = String.raw`^[\s:=,\-–("']*(?:(?:on|am|le|the|is|was|in|:)\s+){0,2}`;
const DATES: { re: RegExp; parts: (m: RegExpExecArray) => [number, number, number][] }[] = [
  // 1985-04-12
  { re: new RegExp(LEAD + String.raw`((\d{4})-(\d{1,2})-(\d{1,2}))(?!\d)`, 'i'), parts: (m) => [[+m[2], +m[3], +m[4]]] },
  // 12.04.1985, 04/12/1985, 12-04-85 (day-month or month-day)
  {
    re: new RegExp(LEAD + String.raw`((\d{1,2})([./-])(\d{1,2})\3(\d{4}|\d{2}))(?!\d)`, 'i'),
    parts: (m) => [
      [+m[5], +m[4], +m[2]],
      [+m[5], +m[2], +m[4]],
    ],
  },
  // 12 April 1985, 12. April 1985, 1st of May 1985
  { re: new RegExp(LEAD + String.raw`((\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+)?${MONTH}\.?,?\s+(\d{4}))(?!\d)`, 'i'), parts: (m) => [[+m[4], MONTHS[m[3].toLowerCase()], +m[2]]] },
  // April 12, 1985
  { re: new RegExp(LEAD + String.raw`(${MONTH}\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))(?!\d)`, 'i'), parts: (m) => [[+m[4], MONTHS[m[2].toLowerCase()], +m[3]]] },
];

function validDate([year, month, day]: [number, number, number]): boolean {
  const fullYear = year < 100 ? year + 1900 : year; // two-digit years of birth are of the last century or this one
  const ok = month >= 1 && month <= 12 && day >= 1 && day <= 31;
  return ok && (year < 100 || (fullYear >= 1900 && fullYear <= new Date().getUTCFullYear()));
}

/** The date right at the start of `after` (after a keyword): its offset and length inside `after`. */
function dateAt(after: string): { offset: number; length: number } | null {
  for (const { re, parts } of DATES) {
    const m = re.exec(after);
    if (m && parts(m).some(validDate)) return { offset: m[0].length - m[1].length, length: m[1].length };
  }
  return null;
}

export const dateOfBirthDetector: TextDetector = {
  types: ['dob'],
  find(text: string, out: Finding[], hints?: TextHints): void {
    if (hints?.key !== undefined && KEY_NAME.test(hints.key)) {
      // The whole value of a field named dob / birth_date / …
      const d = dateAt(text);
      if (d) out.push(finding(text, 'dob', d.offset, d.offset + d.length, 0.9, 'dob-keyword'));
    }
    KEYWORD.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = KEYWORD.exec(text)) !== null) {
      const from = m.index + m[0].length;
      const d = dateAt(text.slice(from, from + 48));
      if (!d) continue;
      out.push(finding(text, 'dob', from + d.offset, from + d.offset + d.length, 0.9, 'dob-keyword'));
      KEYWORD.lastIndex = from + d.offset + d.length;
    }
  },
};
