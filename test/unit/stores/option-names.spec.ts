import {
  optionNames,
  unknownOptionProblem,
  unknownStoreOptionProblem,
} from '../../../src/stores/option-names';

describe('unknownStoreOptionProblem', () => {
  const known = ['maxEntries', 'sweepInterval'];

  describe('when every name is known', () => {
    it('should find no problem', () => {
      expect(unknownStoreOptionProblem({ maxEntries: 1 }, known, 'S')).toBeUndefined();
      expect(unknownStoreOptionProblem({}, known, 'S')).toBeUndefined();
    });
  });

  describe('when a name is a few edits from a known one', () => {
    it('should suggest it, prefixed with the store', () => {
      expect(unknownStoreOptionProblem({ sweepintervall: 1 }, known, 'S')).toBe(
        'S: unknown option "sweepintervall". Did you mean "sweepInterval"?',
      );
    });
  });

  describe('when a name starts like a known one (singular for plural)', () => {
    it('should suggest the known one although it is more edits away', () => {
      expect(unknownStoreOptionProblem({ maxEntry: 1 }, known, 'S')).toBe(
        'S: unknown option "maxEntry". Did you mean "maxEntries"?',
      );
    });
  });

  describe('when no name is close', () => {
    it('should list the options', () => {
      expect(unknownStoreOptionProblem({ ttl: 1 }, known, 'S')).toBe(
        'S: unknown option "ttl"; its options are maxEntries, sweepInterval. Remove it, or fix its spelling.',
      );
    });
  });
});

describe('unknownOptionProblem', () => {
  describe('when a name shares only a short start with a known one', () => {
    it('should not suggest it', () => {
      expect(unknownOptionProblem({ maxSize: 1 }, ['maxAge', 'secret'], 'F')).toBe(
        'unknown option "maxSize"; F has no option of that name. Remove it, or check its spelling against the documented options.',
      );
    });
  });
});

describe('optionNames', () => {
  it('should list the keys it is given, in order', () => {
    expect(optionNames<{ a?: number; b: string }>({ a: true, b: true })).toEqual(['a', 'b']);
  });
});
