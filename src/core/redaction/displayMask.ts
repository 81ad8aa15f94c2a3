// How a detected value is shown in reports (scan output, previews): enough to recognise it, never the value.
//   cards, phones, IBANs, SSNs   the last 4 digits/characters, the rest "*" ("**** **** **** 1111");
//   email                        first character of the local part and of the domain, then the TLD ("j***@e***.com");
//   everything else              the first two characters and the length ("sk… (51 chars)").
// A value of 8 characters or fewer is shown as "****" whatever its type.
import { keepLast4 } from './redact';
import type { Finding } from './types';

const LAST4_TYPES: ReadonlySet<string> = new Set(['credit_card', 'phone', 'iban', 'ssn']);

export function displayMask(f: Pick<Finding, 'type' | 'value'>): string {
  const v = f.value;
  if (v.length <= 8) return '****';
  if (LAST4_TYPES.has(f.type)) return keepLast4(v);
  if (f.type === 'email') {
    const at = v.lastIndexOf('@');
    const domain = v.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    return `${v[0]}***@${domain[0]}***${dot > 0 ? domain.slice(dot) : ''}`;
  }
  return `${v.slice(0, 2)}… (${v.length} chars)`;
}
