import {
  describeValue,
  expectSeconds,
  levenshtein,
  unknownOptionProblem,
} from '../../../src/factories/option-rules';
import { cookieOptionsProblem, resolveCookieOptions } from '../../../src/factories/cookie-options';

describe('describeValue', () => {
  it.each([
    ['3600', 'the string "3600"'],
    [3600, 'the number 3600'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [false, 'the boolean false'],
    [null, 'null'],
    [[1], 'an array'],
    [{}, 'an object'],
    ['x'.repeat(50), `the string "${'x'.repeat(40)}…"`],
  ])('should describe %p as %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

describe('expectSeconds', () => {
  it('should accept unset, null when allowed, and whole numbers from min', () => {
    expect(expectSeconds('t', undefined, { min: 1 })).toBeUndefined();
    expect(expectSeconds('t', null, { min: 1, nullable: true })).toBeUndefined();
    expect(expectSeconds('t', 1, { min: 1 })).toBeUndefined();
  });

  it('should refuse null when it is not allowed, naming it', () => {
    expect(expectSeconds('maxAge', null, { min: 1 })).toBe(
      'maxAge is null; pass a number (seconds).',
    );
  });
});

describe('levenshtein', () => {
  it('should count edits', () => {
    expect(levenshtein('timout', 'timeout')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('unknownOptionProblem', () => {
  const known = ['maxAge', 'secret', 'timeout'];

  it('should suggest a name that differs only in case', () => {
    expect(unknownOptionProblem({ maxage: 1 }, known, 'F')).toBe(
      'unknown option "maxage". Did you mean "maxAge"?',
    );
  });

  it('should say so when no name is close', () => {
    expect(unknownOptionProblem({ colour: 1 }, known, 'F')).toBe(
      'unknown option "colour"; F has no option of that name. Remove it, or check its spelling against the documented options.',
    );
  });

  it('should accept known names', () => {
    expect(unknownOptionProblem({ secret: 'x', timeout: 1 }, known, 'F')).toBeUndefined();
  });
});

describe('resolveCookieOptions', () => {
  it.each(['None', 'NONE', 'none'])('should read sameSite %p as none', (sameSite) => {
    expect(resolveCookieOptions({ cookieName: 'ui', sameSite: sameSite as 'none' }).sameSite).toBe(
      'none',
    );
  });
});

describe('cookieOptionsProblem', () => {
  it('should accept sameSite in any case', () => {
    expect(
      cookieOptionsProblem({ cookieName: 'ui', sameSite: 'Strict' as 'strict' }),
    ).toBeUndefined();
  });

  it('should name a secure given as a string', () => {
    expect(cookieOptionsProblem({ cookieName: 'ui', secure: 'auto' })).toBeUndefined();
    expect(cookieOptionsProblem({ cookieName: 'ui', secure: 'false' as never })).toBe(
      'secure is the string "false"; pass true, false or \'auto\'.',
    );
  });

  it('should refuse a maxAge past the 400 days browsers keep, as milliseconds given for seconds', () => {
    expect(cookieOptionsProblem({ cookieName: 'ui', maxAge: 7 * 24 * 3600 * 1000 })).toBe(
      'maxAge is 604800000 seconds (7000 days), longer than the 400 days (34560000 s) browsers keep a cookie. maxAge is in seconds: if you passed milliseconds, divide by 1000 (604800).',
    );
    expect(cookieOptionsProblem({ cookieName: 'ui', maxAge: 400 * 24 * 3600 })).toBeUndefined();
  });
});
