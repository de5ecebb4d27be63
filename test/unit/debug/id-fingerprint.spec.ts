import { fingerprint } from '../../../src/debug/id-fingerprint';

describe('fingerprint', () => {
  it('should be stable in the process, short, and not contain the value', () => {
    const id = 'a'.repeat(43);
    expect(fingerprint(id)).toBe(fingerprint(id));
    expect(fingerprint(id)).toMatch(/^[\w-]{16}$/);
    expect(fingerprint(id)).not.toContain('aaaa');
    expect(fingerprint(id)).not.toBe(fingerprint(`${id}b`));
  });
});
