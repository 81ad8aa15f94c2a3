// Person names: a heuristic, off by default, with lower precision (findings carry `heuristic: true`).
//   - after an introduction or a title: "my name is Jane Doe", "I'm Jane", "this is Jane Doe", "name: Jane Doe",
//     "Mr. Smith", "Ms Jane Doe", "Dr. Chen", "Herr Müller", "Frau Schmidt", "Mme Dubois", "Regards, Jane Doe";
//     after "I'm" / "I am" / "this is" the first word must be a known given name, so "I'm Happy" is not a name;
//   - anywhere: a known given name (embedded list) followed by a capitalised word that is not a common
//     non-surname ("Jane Doe", not "Jane Street" … which is a miss we accept, nor "Grace Period").
// Misses: names without a listed given name or an introduction, lower-case names, names in non-Latin scripts.
import type { Finding } from '../types';
import { clampConfidence, type TextDetector } from './context';
import { FIRST_NAMES, NOT_SURNAMES } from './firstNames';

const WORD = String.raw`\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?`;
const INTRO = /(?<![\p{L}])(my name is|my name's|i'm|i’m|i am|this is|name\s*[:=]|regards,?|cheers,?|thanks,?|sincerely,?|mr\.?|mrs\.?|ms\.?|miss|dr\.?|prof\.?|herr|frau|mme\.?|mlle\.?|monsieur|madame|señor|señora)\s+/giu;
const NAME_AFTER = new RegExp(`^(${WORD})(?:\\s+(${WORD}))?(?:\\s+(${WORD}))?`, 'u');
const PAIR = new RegExp(`(?<![\\p{L}])(${WORD})\\s+(${WORD})(?![\\p{L}])`, 'gu');
const TITLES = /^(?:mr|mrs|ms|miss|dr|prof|herr|frau|mme|mlle|monsieur|madame|señor|señora)\.?$/i;
const NEEDS_GIVEN_NAME = /^(?:i'm|i’m|i am|this is|thanks,?|cheers,?)$/i;

function nameFinding(text: string, start: number, end: number, confidence: number): Finding {
  return { type: 'person_name', start, end, value: text.slice(start, end), confidence: clampConfidence(confidence), validator: 'name-heuristic', heuristic: true };
}

export const personNameDetector: TextDetector = {
  types: ['person_name'],
  find(text: string, out: Finding[]): void {
    INTRO.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = INTRO.exec(text)) !== null) {
      const from = m.index + m[0].length;
      const n = NAME_AFTER.exec(text.slice(from, from + 80));
      if (!n) continue;
      const intro = m[1].trim().toLowerCase();
      const words = [n[1], n[2], n[3]].filter((w): w is string => w !== undefined);
      // Stop before the first word that is clearly not part of a name ("Jane Support").
      let keep = words.findIndex((w) => NOT_SURNAMES.has(w));
      if (keep === -1) keep = words.length;
      if (keep === 0) continue;
      if (NEEDS_GIVEN_NAME.test(intro) && !FIRST_NAMES.has(words[0])) continue;
      const kept = words.slice(0, keep);
      const length = text.slice(from).indexOf(kept[kept.length - 1]) + kept[kept.length - 1].length;
      out.push(nameFinding(text, from, from + length, TITLES.test(intro) ? 0.7 : 0.75));
    }
    PAIR.lastIndex = 0;
    while ((m = PAIR.exec(text)) !== null) {
      if (!FIRST_NAMES.has(m[1])) {
        PAIR.lastIndex = m.index + m[1].length; // the second word may start the next pair
        continue;
      }
      if (NOT_SURNAMES.has(m[2])) continue;
      out.push(nameFinding(text, m.index, m.index + m[0].length, 0.6));
    }
  },
};
