import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type { SignedCookieSessionOptions } from '../../src/factories/signed-cookie-session.factory';
import { SessionConfigurationError } from '../../src/session/session-configuration.error';
import { EncryptedCookieSessionFactory } from '../../src/factories/encrypted-cookie-session.factory';
import {
  RedisSessionFactory,
  type RedisSessionFactoryOptions,
} from '../../src/factories/redis-session.factory';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import type { ServerSessionOptions } from '../../src/factories/server-session.options';
import { MemoryStore } from '../../src/stores/memory.store';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import { SessionRegistry } from '../../src/module/session-registry';
import type {
  NamespaceRegistration,
  SessionMultiModuleOptions,
  SessionMultiOptionsFactory,
} from '../../src/module/session-multi-options.interface';
import { SECRET_A, SECRET_B } from '../support/create-test-app';

function signed(options: Partial<SignedCookieSessionOptions> = {}): SignedCookieSessionFactory {
  return new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'c', ...options });
}

/** Options as they come from ConfigService or process.env: not type-checked. */
function loose<T>(options: Record<string, unknown>): T {
  return options as T;
}

function server(options: Partial<ServerSessionOptions> = {}): ServerSessionFactory {
  return new ServerSessionFactory({
    store: new MemoryStore({ sweepInterval: 0 }),
    secret: SECRET_A,
    cookieName: 'c',
    ...options,
  });
}

function redis(options: Partial<RedisSessionFactoryOptions> = {}): RedisSessionFactory {
  return new RedisSessionFactory({
    redis: { url: 'redis://127.0.0.1:1' },
    secret: SECRET_A,
    cookieName: 'c',
    ...options,
  });
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
      'Namespace "ui": timeout is the number -5; it must be a whole number of seconds, 1 or more, or null for no timeout. Fix the timeout option.',
  },
  {
    rule: "sameSite 'None' (capital N) without secure",
    sessions: () => [{ namespace: 'ui', factory: signed(loose({ sameSite: 'None' })) }],
    message:
      "Namespace \"ui\": sameSite 'none' without secure: true is dropped by browsers. Set secure: true, or use sameSite 'lax'.",
  },
  {
    rule: 'an unknown sameSite',
    sessions: () => [{ namespace: 'ui', factory: signed(loose({ sameSite: 'bogus' })) }],
    message:
      "Namespace \"ui\": sameSite is the string \"bogus\"; it must be one of 'lax', 'strict', 'none' (any case). Fix the sameSite option.",
  },
  {
    rule: 'maxAge as a string',
    sessions: () => [{ namespace: 'ui', factory: signed(loose({ maxAge: '3600' })) }],
    message: 'Namespace "ui": maxAge is the string "3600"; pass a number (seconds).',
  },
  {
    rule: 'a negative maxAge',
    sessions: () => [{ namespace: 'ui', factory: signed({ maxAge: -5 }) }],
    message:
      'Namespace "ui": maxAge is the number -5; it must be a whole number of seconds, 1 or more. Fix the maxAge option.',
  },
  {
    rule: 'a maxAge that is not a whole number',
    sessions: () => [{ namespace: 'ui', factory: signed({ maxAge: 1.5 }) }],
    message:
      'Namespace "ui": maxAge is the number 1.5; it must be a whole number of seconds, 1 or more. Fix the maxAge option.',
  },
  {
    rule: 'maxAge NaN',
    sessions: () => [{ namespace: 'ui', factory: signed({ maxAge: NaN }) }],
    message:
      'Namespace "ui": maxAge is NaN; it must be a whole number of seconds, 1 or more. Fix the maxAge option.',
  },
  {
    rule: "secure: 'false' (a string)",
    sessions: () => [{ namespace: 'ui', factory: signed(loose({ secure: 'false' })) }],
    message: 'Namespace "ui": secure is the string "false"; pass true, false or \'auto\'.',
  },
  {
    rule: "httpOnly: 'true' (a string)",
    sessions: () => [{ namespace: 'ui', factory: signed(loose({ httpOnly: 'true' })) }],
    message: 'Namespace "ui": httpOnly is the string "true"; pass true or false.',
  },
  {
    rule: 'timeout as a string',
    sessions: () => [{ namespace: 'ui', factory: signed(loose({ timeout: '3600' })) }],
    message:
      'Namespace "ui": timeout is the string "3600"; pass a number (seconds), or null for no timeout.',
  },
  {
    rule: 'a server-side timeout as a string',
    sessions: () => [{ namespace: 'ui', factory: server(loose({ timeout: '3600' })) }],
    message:
      'Namespace "ui": timeout is the string "3600"; pass a number (seconds), or null for no timeout.',
  },
  {
    rule: "a server-side secure: 'true' (a string)",
    sessions: () => [{ namespace: 'ui', factory: server(loose({ secure: 'true' })) }],
    message: 'Namespace "ui": secure is the string "true"; pass true, false or \'auto\'.',
  },
  {
    rule: 'a server-side onStoreError that is not known',
    sessions: () => [{ namespace: 'ui', factory: server(loose({ onStoreError: 'retry' })) }],
    message:
      'Namespace "ui": onStoreError is the string "retry"; it must be \'throw\' or \'fail-open\'. Fix the onStoreError option.',
  },
  {
    rule: 'a misspelt option',
    sessions: () => [{ namespace: 'ui', factory: signed(loose({ maxage: 3600 })) }],
    message: 'Namespace "ui": unknown option "maxage". Did you mean "maxAge"?',
  },
  {
    rule: 'a misspelt server-side option',
    sessions: () => [{ namespace: 'ui', factory: server(loose({ timout: 60 })) }],
    message: 'Namespace "ui": unknown option "timout". Did you mean "timeout"?',
  },
  {
    rule: 'an option no factory has',
    sessions: () => [{ namespace: 'ui', factory: signed(loose({ colour: 'blue' })) }],
    message:
      'Namespace "ui": unknown option "colour"; SignedCookieSessionFactory has no option of that name. Remove it, or check its spelling against the documented options.',
  },
  {
    rule: 'an encryption key that is a number',
    sessions: () => [
      {
        namespace: 'ui',
        factory: new EncryptedCookieSessionFactory(loose({ key: 42, cookieName: 'c' })),
      },
    ],
    message: 'Namespace "ui": key is a number; pass a string or a Buffer, or a list of them.',
  },
  {
    rule: 'a misspelt RedisSessionFactory option',
    sessions: () => [{ namespace: 'ui', factory: redis(loose({ setRedisTTL: false })) }],
    message: 'Namespace "ui": unknown option "setRedisTTL". Did you mean "setRedisTtl"?',
  },
  {
    rule: "setRedisTtl: 'false' (a string)",
    sessions: () => [{ namespace: 'ui', factory: redis(loose({ setRedisTtl: 'false' })) }],
    message: 'Namespace "ui": setRedisTtl is the string "false"; pass true or false.',
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
        const compiled = moduleRef as TestingModule;
        expect(compiled.get(SessionRegistry).cookieNames()).toEqual({ ui: 'ui', cart: 'cart' });
        await compiled.close();
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
    it.each([
      ['forRoot', () => SessionMultiModule.forRoot({ sessions: {} as never })],
      [
        'forRootAsync',
        () => SessionMultiModule.forRootAsync({ useFactory: () => ({ sessions: {} as never }) }),
      ],
    ])('should say what to pass (%s)', async (_mode, register) => {
      await expect(compile([register()])).rejects.toThrow(
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
