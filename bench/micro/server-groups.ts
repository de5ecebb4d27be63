/**
 * Micro-benchmark groups for the server-side hot paths: id generation and change detection.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { generateSessionId } from '../../src/index';
import type { MicroGroup } from './harness';

/** express-session's id generator (uid-safe), resolved through express-session's own dependencies. */
function loadUidSafe(): { sync(bytes: number): string } {
  return createRequire(require.resolve('express-session'))('uid-safe');
}

export function idGroup(): MicroGroup {
  const uid = loadUidSafe();
  return {
    title: 'Session id generation',
    reference: "express-session's uid-safe (24 bytes)",
    note: 'Ours draws 32 bytes (256 bits) from crypto.randomBytes; express-session draws 24 bytes. randomUUID (122 bits, pooled entropy) is shown for scale only.',
    cases: [
      { name: "express-session's uid-safe (24 bytes)", fn: () => uid.sync(24) },
      { name: 'ours generateSessionId (32 bytes)', fn: generateSessionId },
      { name: 'crypto.randomUUID (for scale)', fn: randomUUID },
    ],
  };
}

/** A mid-sized session: a user, a cart of ten lines, flash queues, a CSRF token. */
export function mediumSession(): Record<string, unknown> {
  return {
    user: { id: 'user-1234', name: 'Ada Lovelace', roles: ['admin', 'editor'] },
    cart: {
      currency: 'EUR',
      items: Array.from({ length: 10 }, (_, i) => ({
        sku: `SKU-${1000 + i}`,
        qty: (i % 3) + 1,
        price: 9.99 + i,
      })),
    },
    _f_: ['Saved.'],
    _csrft_: 'a3f1c9e2b7d4a6f8c0e1d2b3a4f5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3',
    theme: 'dark',
    visits: 17,
  };
}

export function changeDetectionGroup(): MicroGroup {
  const data = mediumSession();
  const baseline = JSON.stringify(data);
  const sha1 = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');
  const baselineHash = sha1(baseline);
  return {
    title: 'Change detection (unchanged ~700-byte session)',
    reference: "express-session's method (SHA-1 of the JSON)",
    note: 'Was a session that was read also modified? Ours compares the JSON with the JSON kept at load; express-session hashes the JSON (SHA-1) and compares hashes (re-implemented here from its documented method; it is not exported).',
    cases: [
      {
        name: "express-session's method (SHA-1 of the JSON)",
        fn: () => sha1(JSON.stringify(data)) !== baselineHash,
      },
      {
        name: 'ours (JSON compared with the loaded JSON)',
        fn: () => JSON.stringify(data) !== baseline,
      },
    ],
  };
}
