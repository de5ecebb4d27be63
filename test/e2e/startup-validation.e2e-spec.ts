import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type { SignedCookieSessionOptions } from '../../src/factories/signed-cookie-session.factory';
import { SessionConfigurationError } from '../../src/session/session-configuration.error';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import type {
  NamespaceRegistration,
  SessionMultiModuleOptions,
  SessionMultiOptionsFactory,
} from '../../src/module/session-multi-options.interface';
import { SECRET_A, SECRET_B } from '../support/create-test-app';

function signed(options: Partial<SignedCookieSessionOptions> = {}): SignedCookieSessionFactory {
  return new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'c', ...options });
}

const OPTIONS = 'TEST_SESSION_OPTIONS';

/** Registers sessions in one of the supported ways; rejects when compile() rejects. */
type Mode = (sessions: NamespaceRegistration[]) => Promise<unknown>;

function compile(imports: (DynamicModule | (new () => unknown))[]): Promise<unknown> {
  return Test.createTestingModule({ imports }).compile();
}

function optionsModule(options: unknown): DynamicModule {
  @Module({})
  class OptionsModule {}
  return {
    module: OptionsModule,
    providers: [{ provide: OPTIONS, useValue: options }],
    exports: [OPTIONS],
  };
}

const modes: [string, Mode][] = [
  ['forRoot', (sessions) => compile([SessionMultiModule.forRoot({ sessions })])],
  [
    'forRootAsync with useFactory + inject + imports',
    (sessions) =>
      compile([
        SessionMultiModule.forRootAsync({
          imports: [optionsModule({ sessions })],
          inject: [OPTIONS],
          useFactory: (options: SessionMultiModuleOptions) => Promise.resolve(options),
        }),
      ]),
  ],
  [
    'forRootAsync with useClass',
    (sessions) => {
      @Injectable()
      class Options implements SessionMultiOptionsFactory {
        createSessionMultiOptions(): SessionMultiModuleOptions {
          return { sessions };
        }
      }
      return compile([SessionMultiModule.forRootAsync({ useClass: Options })]);
    },
  ],
  [
    'forRootAsync with useExisting',
    (sessions) => {
      @Injectable()
      class Options implements SessionMultiOptionsFactory {
        createSessionMultiOptions(): Promise<SessionMultiModuleOptions> {
          return Promise.resolve({ sessions });
        }
      }
      @Module({ providers: [Options], exports: [Options] })
      class OptionsHostModule {}
      return compile([
        SessionMultiModule.forRootAsync({ imports: [OptionsHostModule], useExisting: Options }),
      ]);
    },
  ],
  [
    'forFeature (validated together with the root namespaces)',
    (sessions) => {
      // Two-registration rules: the first goes to forRoot, the second to forFeature.
      const root =
        sessions.length > 1
          ? sessions.slice(0, -1)
          : [{ namespace: 'base', factory: signed({ cookieName: 'base' }) }];
      const feature = sessions.slice(-1);
      @Module({ imports: [SessionMultiModule.forFeature(feature)] })
      class FeatureModule {}
      return compile([SessionMultiModule.forRoot({ sessions: root }), FeatureModule]);
    },
  ],
];

interface Rule {
  rule: string;
  sessions: () => NamespaceRegistration[];
  message: string;
}

const rules: Rule[] = [
  {
    rule: 'an empty namespace',
    sessions: () => [{ namespace: '', factory: signed() }],
    message:
      'Namespace "": a namespace must be a non-empty string. Give the registration a namespace such as \'cart\'.',
  },
  {
    rule: 'a missing factory',
    sessions: () => [{ namespace: 'ui', factory: undefined as never }],
    message:
      'Namespace "ui": no session factory was given. Pass a factory, e.g. factory: new SignedCookieSessionFactory({ ... }).',
  },
  {
    rule: 'a namespace registered twice',
    sessions: () => [
      { namespace: 'ui', factory: signed({ cookieName: 'a' }) },
      { namespace: 'ui', factory: signed({ cookieName: 'b' }) },
    ],
    message: 'Namespace "ui" is registered twice. Give each registration its own namespace.',
  },
  {
    rule: 'one factory instance in two namespaces',
    sessions: () => {
      const factory = signed();
      return [
        { namespace: 'ui', factory },
        { namespace: 'cart', factory },
      ];
    },
    message:
      'Namespace "cart": its factory instance is already registered for namespace "ui". Create one factory instance per namespace.',
  },
  {
    rule: 'no cookie name',
    sessions: () => [{ namespace: 'ui', factory: signed({ cookieName: '' }) }],
    message:
      'Namespace "ui": the factory has no cookie name. Set cookieName in the factory options.',
  },
  {
    rule: 'a cookie name used twice',
    sessions: () => [
      { namespace: 'auth', factory: signed({ cookieName: 'sid' }) },
      { namespace: 'cart', factory: signed({ cookieName: 'sid' }) },
    ],
    message:
      'Namespace "cart": cookie name "sid" is already used by namespace "auth". Give each namespace its own cookieName.',
  },
  {
    rule: 'a cookie name outside RFC 6265 tokens',
    sessions: () => [{ namespace: 'ui', factory: signed({ cookieName: 'a; Max-Age=1' }) }],
    message:
      'Namespace "ui": cookie name "a; Max-Age=1" contains characters outside RFC 6265 tokens (no spaces, separators or ;,=). Use letters, digits and !#$%&\'*+-.^_`|~ only.',
  },
  {
    rule: 'a cookie path with a semicolon',
    sessions: () => [{ namespace: 'ui', factory: signed({ path: '/a;Domain=evil.test' }) }],
    message:
      'Namespace "ui": cookie path "/a;Domain=evil.test" must start with "/" and contain no ";" or control characters. Fix the path option.',
  },
  {
    rule: 'a cookie domain that is not a domain name',
    sessions: () => [{ namespace: 'ui', factory: signed({ domain: 'evil.test; Path=/' }) }],
    message:
      'Namespace "ui": cookie domain "evil.test; Path=/" is not a valid domain name. Fix the domain option or leave it unset.',
  },
  {
    rule: 'SameSite=None without Secure',
    sessions: () => [{ namespace: 'ui', factory: signed({ sameSite: 'none', secure: false }) }],
    message:
      "Namespace \"ui\": sameSite 'none' without secure: true is dropped by browsers. Set secure: true, or use sameSite 'lax'.",
  },
  {
    rule: 'Partitioned without Secure',
    sessions: () => [{ namespace: 'ui', factory: signed({ partitioned: true }) }],
    message:
      'Namespace "ui": partitioned: true without secure: true is dropped by browsers. Set secure: true, or remove partitioned.',
  },
  {
    rule: '__Host- with a Domain',
    sessions: () => [
      {
        namespace: 'ui',
        factory: signed({ cookieName: '__Host-ui', secure: true, domain: 'example.com' }),
      },
    ],
    message:
      'Namespace "ui": cookie "__Host-ui" has the __Host- prefix, which browsers accept only with secure: true, path \'/\' and no domain. Fix those options or rename the cookie.',
  },
  {
    rule: '__Host- with a Path other than /',
    sessions: () => [
      { namespace: 'ui', factory: signed({ cookieName: '__Host-ui', secure: true, path: '/a' }) },
    ],
    message:
      'Namespace "ui": cookie "__Host-ui" has the __Host- prefix, which browsers accept only with secure: true, path \'/\' and no domain. Fix those options or rename the cookie.',
  },
  {
    rule: '__Secure- without Secure',
    sessions: () => [{ namespace: 'ui', factory: signed({ cookieName: '__Secure-ui' }) }],
    message:
      'Namespace "ui": cookie "__Secure-ui" has the __Secure- prefix, which browsers accept only with secure: true. Set secure: true or rename the cookie.',
  },
  {
    rule: 'a secret shorter than 32 bytes',
    sessions: () => [{ namespace: 'ui', factory: signed({ secret: 'x'.repeat(31) }) }],
    message:
      'Namespace "ui": secret is 31 bytes; at least 32 are required. Use a longer secret (e.g. crypto.randomBytes(32).toString(\'base64\')).',
  },
  {
    rule: 'an empty secret list',
    sessions: () => [{ namespace: 'ui', factory: signed({ secret: [] }) }],
    message:
      'Namespace "ui": secret is missing or an empty list; at least one secret is required. Pass secret: process.env.SESSION_SECRET (32 bytes or more).',
  },
  {
    rule: 'a short secret in a rotation list',
    sessions: () => [{ namespace: 'ui', factory: signed({ secret: [SECRET_A, SECRET_B, 'old'] }) }],
    message:
      'Namespace "ui": secret[2] is 3 bytes; at least 32 are required. Use a longer secret (e.g. crypto.randomBytes(32).toString(\'base64\')).',
  },
  {
    rule: 'an unknown hash algorithm',
    sessions: () => [{ namespace: 'ui', factory: signed({ hashAlgorithm: 'md42' }) }],
    message:
      'Namespace "ui": hashAlgorithm "md42" is not available in this Node.js build. Use one of crypto.getHashes(), e.g. \'sha512\'.',
  },
  {
    rule: 'a negative timeout',
    sessions: () => [{ namespace: 'ui', factory: signed({ timeout: -5 }) }],
    message:
      'Namespace "ui": timeout is -5; it must be a number of seconds, 0 or more. Fix the timeout option.',
  },
];

describe('SessionMultiModule start-up validation', () => {
  describe.each(modes)('when registering through %s', (_mode, register) => {
    describe.each(rules)('when the configuration has $rule', ({ sessions, message }) => {
      it('should fail to compile with a SessionConfigurationError and the exact message', async () => {
        const compiled = register(sessions());
        await expect(compiled).rejects.toThrow(new SessionConfigurationError(message));
        await expect(register(sessions())).rejects.toBeInstanceOf(SessionConfigurationError);
      });
    });

    describe('when the configuration is valid', () => {
      it('should compile', async () => {
        const moduleRef = await register([
          { namespace: 'ui', factory: signed({ cookieName: 'ui' }) },
          { namespace: 'cart', factory: signed({ cookieName: 'cart', secret: SECRET_B }) },
        ]);
        expect(moduleRef).toBeDefined();
        await (moduleRef as { close(): Promise<void> }).close();
      });
    });
  });

  describe('when forRootAsync returns no options', () => {
    it('should say the options are missing', async () => {
      await expect(
        compile([SessionMultiModule.forRootAsync({ useFactory: () => undefined as never })]),
      ).rejects.toThrow(
        new SessionConfigurationError(
          'SessionMultiModule options are missing. Return { sessions: [...] } from forRoot() or the forRootAsync() factory.',
        ),
      );
    });
  });

  describe('when sessions is not an array', () => {
    it('should say what to pass', async () => {
      await expect(
        compile([
          SessionMultiModule.forRootAsync({ useFactory: () => ({ sessions: {} as never }) }),
        ]),
      ).rejects.toThrow(
        new SessionConfigurationError(
          'SessionMultiModule options: "sessions" must be an array of { namespace, factory } registrations. Pass sessions: [...].',
        ),
      );
    });
  });

  describe('when two feature modules register the same cookie name', () => {
    it('should reject the second one, naming the first', async () => {
      @Module({
        imports: [
          SessionMultiModule.forFeature([
            { namespace: 'admin', factory: signed({ cookieName: 'shared' }) },
          ]),
        ],
      })
      class AdminModule {}
      @Module({
        imports: [
          SessionMultiModule.forFeature([
            { namespace: 'shop', factory: signed({ cookieName: 'shared' }) },
          ]),
        ],
      })
      class ShopModule {}
      await expect(
        compile([SessionMultiModule.forRoot({ sessions: [] }), AdminModule, ShopModule]),
      ).rejects.toThrow(
        /^Namespace "(shop|admin)": cookie name "shared" is already used by namespace "(admin|shop)"\. Give each namespace its own cookieName\.$/,
      );
    });
  });
});
