import { resolveDebugOptions, DEFAULT_REDACT_KEYS } from '../../../src/debug/debug-options';
import type { SessionMultiDebugOptions } from '../../../src/debug/session-multi-debug-options.interface';

function resolve(options: Partial<SessionMultiDebugOptions>, env?: string) {
  return resolveDebugOptions(options as SessionMultiDebugOptions, env);
}

describe('resolveDebugOptions', () => {
  describe('when only enabled is given', () => {
    it('should apply the defaults', () => {
      const r = resolve({ enabled: true }, 'development');
      expect(r).toMatchObject({
        enabled: true,
        path: '/_session_multi',
        historySize: 50,
        capture: 'accessed',
        redact: [...DEFAULT_REDACT_KEYS],
      });
      expect(r.allowed.check('127.0.0.1', 'ipv4')).toBe(true);
      expect(r.allowed.check('127.9.8.7', 'ipv4')).toBe(true);
      expect(r.allowed.check('::1', 'ipv6')).toBe(true);
      expect(r.allowed.check('10.0.0.1', 'ipv4')).toBe(false);
    });
  });

  describe('when enabled is missing', () => {
    it('should name the option and say there is no default', () => {
      expect(() => resolve({})).toThrow(
        "SessionMultiDebugModule: enabled is undefined; it must be true or false (there is no default). Pass e.g. enabled: process.env.NODE_ENV === 'development'.",
      );
    });
  });

  describe('when an option is out of range', () => {
    it.each([
      [{ path: 'debug' }, 'path "debug" is not a plain URL path.'],
      [{ path: '/a/../b' }, 'path "/a/../b" is not a plain URL path.'],
      [{ historySize: 0 }, 'historySize is 0; it must be a whole number from 1 to 10000.'],
      [{ capture: 'some' }, `capture is "some"; it must be 'accessed' or 'all'.`],
      [{ redact: [''] }, 'redact must be an array of non-empty strings'],
      [{ allowedIps: [] }, 'allowedIps is []; it must be a non-empty array of addresses.'],
      [{ allowedIps: ['localhost'] }, 'allowedIps entry "localhost" is not an IP address'],
      [{ allowedIps: ['10.0.0.0/33'] }, 'allowedIps entry "10.0.0.0/33" is not an IP address'],
      [{ authorize: true }, 'authorize must be a function'],
    ])('should refuse %j', (options, message) => {
      expect(() => resolve({ enabled: true, ...(options as object) })).toThrow(message);
    });
  });

  describe('when redact and allowedIps are given', () => {
    it('should add the fragments to the defaults and accept subnets', () => {
      const r = resolve({ enabled: true, redact: ['SSN'], allowedIps: ['10.0.0.0/8', 'fd00::/8'] });
      expect(r.redact).toEqual([...DEFAULT_REDACT_KEYS, 'ssn']);
      expect(r.allowed.check('10.1.2.3', 'ipv4')).toBe(true);
      expect(r.allowed.check('fd00::5', 'ipv6')).toBe(true);
      expect(r.allowed.check('127.0.0.1', 'ipv4')).toBe(false);
    });
  });

  describe('when NODE_ENV is production', () => {
    it('should refuse an enabled panel without allowInProduction and authorize', () => {
      const message = 'the panel is enabled while NODE_ENV is "production"';
      expect(() => resolve({ enabled: true }, 'production')).toThrow(message);
      expect(() => resolve({ enabled: true, allowInProduction: true }, 'production')).toThrow(
        message,
      );
      expect(() => resolve({ enabled: true, authorize: () => true }, 'production')).toThrow(
        message,
      );
    });

    it('should accept a disabled panel, or one with both opt-ins', () => {
      expect(resolve({ enabled: false }, 'production').enabled).toBe(false);
      const r = resolve(
        { enabled: true, allowInProduction: true, authorize: () => true },
        'production',
      );
      expect(r.enabled).toBe(true);
    });
  });
});
