// Caller-defined patterns (from settings): a name, a regular expression source and a confidence. They report the
// type `custom:<name>`. The expression is compiled once; an invalid one is refused with the pattern's name.
// A custom expression runs as written: one with nested quantifiers can backtrack catastrophically, which the
// engine cannot prevent (docs/redaction.md says so).
import type { CustomPattern, EntityType, Finding } from '../types';
import { clampConfidence, type TextDetector } from './context';

export class InvalidPatternError extends Error {}

/** Compiles the caller's patterns into one detector (throws InvalidPatternError for a bad one). */
export function customPatternDetector(patterns: readonly CustomPattern[]): TextDetector {
  const compiled = patterns.map((p) => {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(p.name)) throw new InvalidPatternError(`custom pattern name "${p.name}": use 1-64 letters, digits, "_", "-" or "."`);
    const flags = [...new Set(`${p.flags ?? ''}g`.replace(/[^gimsu]/g, ''))].join('');
    let re: RegExp;
    try {
      re = new RegExp(p.pattern, flags);
    } catch (err) {
      throw new InvalidPatternError(`custom pattern "${p.name}": ${(err as Error).message}`);
    }
    return { type: `custom:${p.name}` as EntityType, re, confidence: clampConfidence(p.confidence ?? 0.8) };
  });
  return {
    types: compiled.map((c) => c.type),
    find(text: string, out: Finding[]): void {
      for (const c of compiled) {
        c.re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = c.re.exec(text)) !== null) {
          if (m[0] === '') {
            c.re.lastIndex++; // an empty match would loop forever
            continue;
          }
          out.push({ type: c.type, start: m.index, end: m.index + m[0].length, value: m[0], confidence: c.confidence, validator: 'custom-pattern' });
        }
      }
    },
  };
}
