import { HeaderCarrier } from '../../../../src/factories/transports/header-carrier';
import type { SessionLogger } from '../../../../src/factories/session-logger';
import { fakeRequest, RecordingCommitContext } from '../../../support/factory-context';

function logger(): SessionLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => undefined,
    warn: (m) => warnings.push(m),
    error: () => undefined,
  };
}

/** A cross-origin commit whose response ends with the given CORS headers. */
function crossOrigin(carrier: HeaderCarrier, cors: Record<string, string>): RecordingCommitContext {
  const req = fakeRequest();
  req.headers.origin = 'https://spa.example';
  const ctx = new RecordingCommitContext('api', req);
  carrier.send(ctx, 'id.mac');
  for (const [name, value] of Object.entries(cors)) {
    ctx.res.setHeader(name, value);
  }
  ctx.res.emit('finish');
  return ctx;
}

describe('HeaderCarrier', () => {
  describe('when it hands out an id', () => {
    it('should set the header, Vary and a private Cache-Control', () => {
      const ctx = new RecordingCommitContext('api');
      new HeaderCarrier('X-Session-Id', logger()).send(ctx, 'id.mac');
      expect(ctx.res.getHeader('x-session-id')).toBe('id.mac');
      expect(ctx.res.getHeader('vary')).toBe('X-Session-Id');
      expect(ctx.res.getHeader('cache-control')).toBe('private, no-store');
      expect(ctx.cookies).toEqual([]);
    });
  });

  describe('when it clears the id', () => {
    it('should answer an empty header value', () => {
      const ctx = new RecordingCommitContext('api');
      new HeaderCarrier('X-Session-Id', logger()).clear(ctx);
      expect(ctx.res.getHeader('x-session-id')).toBe('');
    });
  });

  describe('when reading a request', () => {
    it('should find the header in any case, and nothing without it', () => {
      const carrier = new HeaderCarrier('X-Session-Id', logger());
      const req = fakeRequest();
      expect(carrier.candidates({ namespace: 'api', req, cookies: {} })).toEqual([]);
      req.headers['x-session-id'] = 'id.mac';
      expect(carrier.candidates({ namespace: 'api', req, cookies: {} })).toEqual(['id.mac']);
    });
  });

  describe('when a cross-origin response exposes the header', () => {
    it.each([
      ['by name', { 'access-control-expose-headers': 'x-session-id, etag' }],
      ['with * and no credentials', { 'access-control-expose-headers': '*' }],
    ])('should not warn when exposed %s', (_case, expose) => {
      const log = logger();
      crossOrigin(new HeaderCarrier('X-Session-Id', log), {
        'access-control-allow-origin': 'https://spa.example',
        ...expose,
      });
      expect(log.warnings).toEqual([]);
    });
  });

  describe('when a cross-origin response hides the header', () => {
    it('should warn once, also when * is literal on a credentialed response', () => {
      const log = logger();
      const carrier = new HeaderCarrier('X-Session-Id', log);
      const hidden = {
        'access-control-allow-origin': 'https://spa.example',
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': '*',
      };
      crossOrigin(carrier, hidden);
      crossOrigin(carrier, hidden);
      expect(log.warnings).toHaveLength(1);
      expect(log.warnings[0]).toContain(
        'Namespace "api": the session id travels in the response header "X-Session-Id"',
      );
    });
  });

  describe('when the response has no CORS headers', () => {
    it('should not warn (CORS is not answered there)', () => {
      const log = logger();
      crossOrigin(new HeaderCarrier('X-Session-Id', log), {});
      expect(log.warnings).toEqual([]);
    });
  });
});
