// The arithmetic checks detectors use to confirm a candidate: Luhn (payment cards), ISO 13616 mod-97 (IBAN),
// and Shannon entropy (random-looking secrets). Pure functions, no allocation beyond a few numbers.

/** True when the digits of `digits` (only 0-9) pass the Luhn check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The Luhn check digit that makes `partial + digit` valid (used by the test corpus and format-preserving output). */
export function luhnCheckDigit(partial: string): number {
  for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return d;
  return 0; // unreachable: one of ten digits always fits
}

/**
 * ISO 13616 check: move the first four characters to the end, letters become 10..35, the number mod 97 must be 1.
 * `iban` is upper-case alphanumerics without spaces.
 */
export function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      rest = (rest * 10 + (c - 48)) % 97;
    } else if (c >= 65 && c <= 90) {
      rest = (rest * 100 + (c - 55)) % 97; // two decimal digits
    } else {
      return -1;
    }
  }
  return rest;
}

/** The two check digits for a country code and BBAN (used by the test corpus). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rest = ibanMod97(country + '00' + bban);
  return String(98 - rest).padStart(2, '0');
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** How many of the classes lower-case, upper-case, digit, other the text uses. */
export function charClasses(text: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}
