import {
  Controller,
  Get,
  Injectable,
  Module,
  Post,
  type INestApplication,
  type ModuleMetadata,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import type { SessionFactory } from '../../src/factories/session-factory.interface';
import { InjectSessionFactory } from '../../src/module/inject-session-factory.decorator';
import { SessionConfigurationError } from '../../src/session/session-configuration.error';
import { getSessionFactoryToken } from '../../src/module/session-factory-token.util';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import { SessionRegistry } from '../../src/module/session-registry';
import { Session } from '../../src/request/session.decorator';
import { SECRET_A, SECRET_B } from '../support/create-test-app';
import { CookieJar, setCookies } from '../support/cookie-jar';

const uiFactory = new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' });
const adminFactory = new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'admin_sid' });
const asyncUiFactory = new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' });
const asyncAdminFactory = new SignedCookieSessionFactory({
  secret: SECRET_B,
  cookieName: 'admin_sid',
});

@Injectable()
class AdminService {
  constructor(
    @InjectSessionFactory('admin') readonly admin: SessionFactory,
    readonly registry: SessionRegistry,
  ) {}
}

/** A root-level service reaching a forRoot namespace's factory by token. */
@Injectable()
class RootService {
  constructor(@InjectSessionFactory('ui') readonly ui: SessionFactory) {}
}

@Controller('admin')
class AdminController {
  @Post()
  write(@Session('admin') admin: Session): string {
    admin.set('role', 'root');
    return 'ok';
  }

  @Get()
  read(@Session('admin') admin: Session, @Session('ui') ui: Session): Record<string, unknown> {
    return { role: admin.get('role') ?? null, theme: ui.get('theme') ?? null };
  }
}

function adminModule(factory: SessionFactory): new () => unknown {
  @Module({
    imports: [SessionMultiModule.forFeature([{ namespace: 'admin', factory }])],
    providers: [AdminService],
    controllers: [AdminController],
  })
  class AdminModule {}
  return AdminModule;
}

async function start(
  imports: ModuleMetadata['imports'],
  providers: ModuleMetadata['providers'] = [],
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports, providers }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('SessionMultiModule.forFeature', () => {
  describe('when a feature module adds a namespace to forRoot', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await start(
        [
          SessionMultiModule.forRoot({ sessions: [{ namespace: 'ui', factory: uiFactory }] }),
          adminModule(adminFactory),
        ],
        [RootService],
      );
    });

    afterAll(() => app.close());

    it('should list root and feature namespaces in SessionRegistry', () => {
      expect(app.get(SessionRegistry).namespaces).toEqual(['ui', 'admin']);
      expect(app.get(SessionRegistry).factory('admin')).toBe(adminFactory);
    });

    it('should inject the feature factory with @InjectSessionFactory()', () => {
      expect(app.get(AdminService).admin).toBe(adminFactory);
    });

    it('should inject a forRoot factory with @InjectSessionFactory()', () => {
      expect(app.get(RootService).ui).toBe(uiFactory);
    });

    it('should register every factory under getSessionFactoryToken(ns)', () => {
      expect(app.get(getSessionFactoryToken('admin'), { strict: false })).toBe(adminFactory);
      expect(app.get(getSessionFactoryToken('ui'), { strict: false })).toBe(uiFactory);
    });

    it('should serve the feature namespace with its own cookie only', async () => {
      const jar = new CookieJar();
      const res = await request(app.getHttpServer()).post('/admin').expect(201);
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['admin_sid']);
      jar.store(res);
      const read = await request(app.getHttpServer())
        .get('/admin')
        .set('Cookie', jar.header())
        .expect(200);
      expect(read.body).toEqual({ role: 'root', theme: null });
    });

    it('should refuse new namespaces once the application has started', () => {
      expect(() =>
        app.get(SessionRegistry).register([
          {
            namespace: 'late',
            factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'late' }),
          },
        ]),
      ).toThrow(
        new SessionConfigurationError(
          'Namespace "late": namespaces cannot be registered after the application has started. Register it in SessionMultiModule.forRoot() or forFeature().',
        ),
      );
    });
  });

  describe('when a feature module adds a namespace to forRootAsync', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await start([
        SessionMultiModule.forRootAsync({
          useFactory: () => ({ sessions: [{ namespace: 'ui', factory: asyncUiFactory }] }),
        }),
        adminModule(asyncAdminFactory),
      ]);
    });

    afterAll(() => app.close());

    it('should list both namespaces and inject the feature factory', () => {
      expect(app.get(SessionRegistry).namespaces).toEqual(['ui', 'admin']);
      expect(app.get(AdminService).admin).toBe(asyncAdminFactory);
    });

    it('should reach root factories through SessionRegistry', () => {
      expect(app.get(AdminService).registry.factory('ui')).toBe(asyncUiFactory);
    });

    it('should serve the feature namespace', async () => {
      const res = await request(app.getHttpServer()).post('/admin').expect(201);
      expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['admin_sid']);
    });
  });

  describe('when a feature namespace clashes with a root one', () => {
    it('should fail at compile with the root namespace named', async () => {
      const clash = new SignedCookieSessionFactory({ secret: SECRET_B, cookieName: 'ui' });
      await expect(
        Test.createTestingModule({
          imports: [
            SessionMultiModule.forRoot({
              sessions: [
                {
                  namespace: 'ui',
                  factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: 'ui' }),
                },
              ],
            }),
            adminModule(clash),
          ],
        }).compile(),
      ).rejects.toThrow(
        'Namespace "admin": cookie name "ui" is already used by namespace "ui". Give each namespace its own cookieName.',
      );
    });
  });
});
