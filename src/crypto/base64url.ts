const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ONLY_ALPHABET = /^[A-Za-z0-9_-]*$/;

/** Length of the unpadded base64url text of `bytes` bytes. @internal */
export function base64urlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/**
 * Decodes unpadded base64url text, or returns undefined when the text is not exactly what
 * `Buffer#toString('base64url')` writes for some bytes. Node's own decoder skips characters
 * outside the alphabet, reads only the low byte of wider ones, ignores padding and a dangling
 * last character, and drops non-zero unused bits, so many texts would decode to the same bytes;
 * here exactly one text decodes to given bytes, and nothing is decoded until the text is checked.
 *
 * @internal
 */
export function decodeBase64url(text: string): Buffer | undefined {
  // A remainder of 1 character carries 6 bits: no byte count encodes to that length.
  if (text.length % 4 === 1 || !ONLY_ALPHABET.test(text)) {
    return undefined;
  }
  if (!hasZeroTrailingBits(text)) {
    return undefined;
  }
  return Buffer.from(text, 'base64url');
}

/** The bits of the last character beyond the last whole byte must be zero (RFC 4648 §3.5). */
function hasZeroTrailingBits(text: string): boolean {
  const remainder = text.length % 4;
  if (remainder === 0) {
    return true;
  }
  const last = ALPHABET.indexOf(text[text.length - 1]!);
  // 2 characters hold 1 byte (4 spare bits), 3 characters hold 2 bytes (2 spare bits).
  const spare = remainder === 2 ? 0b1111 : 0b11;
  return (last & spare) === 0;
}
