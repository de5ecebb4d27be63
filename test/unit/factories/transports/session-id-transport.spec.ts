import { ServerSessionFactory } from '../../../../src/factories/server-session.factory';
import {
  cookieTransport,
  headerTransport,
  queryTransport,
} from '../../../../src/factories/transports/session-id-transport';
import { SessionConfigurationError } from '../../../../src/session/session-configuration.error';
import { MemoryStore } from '../../../../src/stores/memory.store';

const SECRET = 'server-secret-0123456789abcdef0123456789abcdef';

function validate(options: Record<string, unknown>): () => void {
  const factory = new ServerSessionFactory({
    store: new MemoryStore(),
    secret: SECRET,
    ...options,
  });
  return () => factory.validate('api');
}

describe('session id transports', () => {
  describe('when built with their defaults', () => {
    it('should give the cookie, X-Session-Id and redirecting query transports', () => {
      expect(cookieTransport()).toEqual({ kind: 'cookie' });
      expect(headerTransport()).toEqual({ kind: 'header', name: 'X-Session-Id' });
      expect(queryTransport({ param: 'sid' })).toEqual({
        kind: 'query',
        param: 'sid',
        redirectOnCreate: true,
      });
    });
  });

  describe('when a factory uses a header or query transport', () => {
    it('should have no cookie name and describe its transport', () => {
      const factory = new ServerSessionFactory({
        store: new MemoryStore(),
        secret: SECRET,
        transport: headerTransport({ name: 'X-Api' }),
      });
      expect(factory.cookieName).toBe('');
      expect(factory.validate('api')).toBeUndefined();
      expect(factory.describe()).toMatchObject({ transport: { kind: 'header', name: 'X-Api' } });
    });
  });

  describe('when the transport option cannot work', () => {
    it.each([
      [
        'not a transport',
        { transport: 'header' },
        `Namespace "api": transport is the string "header"; pass cookieTransport(), headerTransport() or queryTransport({ param }).`,
      ],
      [
        'a header name with a space',
        { transport: headerTransport({ name: 'X Session' }) },
        `Namespace "api": headerTransport name is the string "X Session", which is not an HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only). Pass a name such as 'X-Session-Id'.`,
      ],
      [
        'a header HTTP already defines',
        { transport: headerTransport({ name: 'Authorization' }) },
        `Namespace "api": headerTransport name "Authorization" is a header HTTP already gives a meaning to. Pass a name of your own such as 'X-Session-Id'.`,
      ],
      [
        'an empty query parameter',
        { transport: queryTransport({ param: '' }) },
        `Namespace "api": queryTransport param is the string ""; it must be a non-empty name of letters, digits and _.~- only. Pass a name such as 'sid'.`,
      ],
      [
        'a non-boolean redirectOnCreate',
        {
          transport: queryTransport({
            param: 'sid',
            redirectOnCreate: 'yes' as unknown as boolean,
          }),
        },
        `Namespace "api": queryTransport redirectOnCreate is the string "yes"; pass true or false.`,
      ],
    ])('should refuse %s with the rule and the fix', (_case, options, message) => {
      expect(validate(options)).toThrow(new SessionConfigurationError(message));
    });
  });

  describe('when cookie options come with a non-cookie transport', () => {
    it('should refuse them, naming each and where the id travels', () => {
      expect(
        validate({
          transport: headerTransport(),
          cookieName: 'sid',
          sameSite: 'strict',
        }),
      ).toThrow(
        new SessionConfigurationError(
          'Namespace "api": cookieName, sameSite are cookie options, but the session id travels in the header "X-Session-Id" (headerTransport()). Remove them.',
        ),
      );
    });

    it('should name a single cookie option in the singular', () => {
      expect(validate({ transport: queryTransport({ param: 'sid' }), maxAge: 60 })).toThrow(
        new SessionConfigurationError(
          'Namespace "api": maxAge is a cookie option, but the session id travels in the query parameter "sid" (queryTransport()). Remove it.',
        ),
      );
    });
  });
});
