// Format-preserving pseudonyms (optional in pseudonym mode): the value keeps its shape so downstream parsers and
// readers still see "an email", "a card number", but every identifying character comes from the HMAC. The
// shapes are chosen so that they are never mistaken for real data:
//   email        user-<10 hex>@example.invalid (a reserved top-level domain);
//   credit_card  same length and separators, digits from the HMAC, the last digit chosen to FAIL Luhn;
//   ssn          same separators, area 9xx (never issued);
//   iban         same country and spacing, check digits "00" (mod-97 never yields 00, so it is invalid);
//   phone        same separators and leading "+", digits from the HMAC (may look like a real number).
// Other types return null: the caller uses the plain token.
import { luhnValid } from './checksums';
import type { EntityType } from './types';

/** Replaces the digits (and for IBANs the letters) of `value` from left to right with `digits`. */
function refill(value: string, digits: string, alnum: boolean): string {
  let i = 0;
  return value.replace(alnum ? /[A-Za-z0-9]/g : /\d/g, () => digits[i++] ?? '0');
}

export function preserveFormat(type: EntityType, value: string, digits: (n: number) => string, hex: string): string | null {
  switch (type) {
    case 'email':
      return `user-${hex.slice(0, 10)}@example.invalid`;
    case 'credit_card': {
      const n = value.replace(/\D/g, '').length;
      const d = digits(n).split('');
      for (let c = 0; c < 10; c++) {
        d[n - 1] = String(c);
        if (!luhnValid(d.join(''))) break;
      }
      return refill(value, d.join(''), false);
    }
    case 'ssn':
      return refill(value, '9' + digits(8), false);
    case 'iban': {
      const compact = value.replace(/\s/g, '');
      const bban = digits(compact.length - 4);
      return refill(value, compact.slice(0, 2) + '00' + bban, true);
    }
    case 'phone':
      return refill(value, digits(value.replace(/\D/g, '').length), false);
    default:
      return null;
  }
}
