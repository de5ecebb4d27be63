import {
  Controller,
  Get,
  Injectable,
  Module,
  Post,
  type INestApplication,
  type ModuleMetadata,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import type {
  SessionMultiModuleOptions,
  SessionMultiOptionsFactory,
} from '../../src/module/session-multi-options.interface';
import { SessionRegistry } from '../../src/module/session-registry';
import { Session } from '../../src/request/session.decorator';
import { SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookies } from '../support/cookie-jar';

@Controller()
class CounterController {
  constructor(readonly registry: SessionRegistry) {}

  @Post('count')
  count(@Session('ui') ui: Session): { n: number } {
    const n = (ui.get('n', 0) as number) + 1;
    ui.set('n', n);
    return { n };
  }

  @Get('namespaces')
  namespaces(): string[] {
    return this.registry.namespaces;
  }
}

function sessionsFrom(secret: string): SessionMultiModuleOptions {
  return {
    sessions: [
      { namespace: 'ui', factory: new SignedCookieSessionFactory({ secret, cookieName: 'ui' }) },
      {
        namespace: 'cart',
        factory: new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'cart' }),
      },
    ],
  };
}

@Injectable()
class SessionOptions implements SessionMultiOptionsFactory {
  createSessionMultiOptions(): Promise<SessionMultiModuleOptions> {
    return Promise.resolve(sessionsFrom(SECRET_A));
  }
}

@Module({ providers: [SessionOptions], exports: [SessionOptions] })
class SessionOptionsModule {}

async function start(imports: ModuleMetadata['imports']): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports,
    controllers: [CounterController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

const forms: [string, () => ModuleMetadata['imports']][] = [
  [
    'useFactory + inject + imports (ConfigService)',
    () => [
      SessionMultiModule.forRootAsync({
        imports: [
          ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ UI_SECRET: SECRET_A })] }),
        ],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => sessionsFrom(config.getOrThrow<string>('UI_SECRET')),
      }),
    ],
  ],
  ['useClass', () => [SessionMultiModule.forRootAsync({ useClass: SessionOptions })]],
  [
    'useExisting',
    () => [
      SessionMultiModule.forRootAsync({
        imports: [SessionOptionsModule],
        useExisting: SessionOptions,
      }),
    ],
  ],
];

describe('SessionMultiModule.forRootAsync', () => {
  describe.each(forms)('when configured with %s', (_form, imports) => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await start(imports());
    });

    afterAll(() => app.close());

    it('should register the namespaces in SessionRegistry', async () => {
      const res = await request(app.getHttpServer()).get('/namespaces').expect(200);
      expect(res.body).toEqual(['ui', 'cart']);
    });

    it('should serve sessions that persist across requests', async () => {
      const jar = new CookieJar();
      const first = await request(app.getHttpServer()).post('/count').expect(201);
      expect(first.body).toEqual({ n: 1 });
      expect(setCookies(first).map((c) => c.split('=')[0])).toEqual(['ui']);
      jar.store(first);
      const second = await request(app.getHttpServer())
        .post('/count')
        .set('Cookie', jar.header())
        .expect(201);
      expect(second.body).toEqual({ n: 2 });
    });
  });
});

describe('SessionMultiModule isGlobal', () => {
  @Injectable()
  class UsesRegistry {
    constructor(readonly registry: SessionRegistry) {}
  }

  /** A module that does not import SessionMultiModule but injects SessionRegistry. */
  @Module({ providers: [UsesRegistry], exports: [UsesRegistry] })
  class ConsumerModule {}

  const compileWith = (sessionModule: ModuleMetadata['imports']): Promise<unknown> =>
    Test.createTestingModule({ imports: [...(sessionModule ?? []), ConsumerModule] }).compile();

  /** `{}` leaves isGlobal out; `{ isGlobal: x }` passes it, even when x is undefined. */
  type Extras = { isGlobal?: boolean };

  describe.each<[string, (extras: Extras) => ModuleMetadata['imports']]>([
    ['forRoot', (extras) => [SessionMultiModule.forRoot({ ...sessionsFrom(SECRET_A), ...extras })]],
    [
      'forRootAsync',
      (extras) => [
        SessionMultiModule.forRootAsync({ useFactory: () => sessionsFrom(SECRET_A), ...extras }),
      ],
    ],
  ])('when configured with %s', (_form, imports) => {
    it.each<[string, Extras]>([
      ['by default', {}],
      ['when isGlobal is undefined', { isGlobal: undefined }],
      ['with isGlobal: true', { isGlobal: true }],
    ])('should be global %s, so any module can inject SessionRegistry', async (_case, extras) => {
      const moduleRef = (await compileWith(imports(extras))) as {
        get<T>(t: new (...a: never[]) => T): T;
        close(): Promise<void>;
      };
      expect(moduleRef.get(UsesRegistry).registry.namespaces).toEqual(['ui', 'cart']);
      await moduleRef.close();
    });

    it('should keep SessionRegistry to importing modules with isGlobal: false', async () => {
      await expect(compileWith(imports({ isGlobal: false }))).rejects.toThrow(
        /can't resolve dependencies of the UsesRegistry/,
      );
    });
  });
});
