// How hash and signature values are written in a log: lowercase/uppercase hex, or base64 (standard with or without
// padding, or base64url). Decoding is strict: a value decodes only when re-encoding it gives the same text back,
// so two different strings never stand for the same bytes (Node's own base64 decoder ignores stray characters and
// the unused low bits of the last character, which would let a flipped character go unnoticed).

export type HashEncoding = 'hex' | 'base64';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The bytes of a hex string (either case), or null when it is not whole bytes of hex. */
export function decodeHex(text: string): Buffer | null {
  if (text.length === 0 || text.length % 2 !== 0) return null;
  // Node's hex decoder stops at the first pair that is not hex: all of it decoded means all of it is hex.
  const bytes = Buffer.from(text, 'hex');
  return bytes.length * 2 === text.length ? bytes : null;
}

/** The bytes of a base64 or base64url string, or null unless the text is the canonical encoding of those bytes. */
export function decodeBase64(text: string): Buffer | null {
  if (text.length === 0) return null;
  if (BASE64.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    const again = bytes.toString('base64');
    return again === text || again.replace(/=+$/, '') === text ? bytes : null;
  }
  if (BASE64URL.test(text)) {
    const bytes = Buffer.from(text, 'base64url');
    return bytes.toString('base64url') === text ? bytes : null;
  }
  return null;
}

/** Decodes a value written in `encoding`. */
export function decodeAs(text: string, encoding: HashEncoding): Buffer | null {
  return encoding === 'hex' ? decodeHex(text) : decodeBase64(text);
}

export function encodeAs(bytes: Buffer, encoding: HashEncoding): string {
  return encoding === 'hex' ? bytes.toString('hex') : bytes.toString('base64');
}

/**
 * Guesses how a hash value is written from its length: hex of 32/48/64 bytes first (a 64-character hex string is
 * also valid base64 of 48 bytes, and hex is by far the more common), then base64 of those sizes.
 */
export function sniffHashEncoding(text: string): { encoding: HashEncoding; bytes: number } | null {
  const hex = decodeHex(text);
  if (hex && (hex.length === 32 || hex.length === 48 || hex.length === 64)) return { encoding: 'hex', bytes: hex.length };
  const b64 = decodeBase64(text);
  if (b64 && (b64.length === 32 || b64.length === 48 || b64.length === 64)) return { encoding: 'base64', bytes: b64.length };
  return null;
}

/** True for a string made only of the digit 0 (any length): the usual genesis value. */
export function isAllZeros(text: string): boolean {
  return text.length > 0 && text.charCodeAt(0) === 0x30 && /^0+$/.test(text);
}
