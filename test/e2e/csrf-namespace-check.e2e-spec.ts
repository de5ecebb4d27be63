import { Controller, Module, Post, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { SignedCookieSessionFactory } from '../../src/factories/signed-cookie-session.factory';
import { SessionMultiModule } from '../../src/module/session-multi.module';
import { CsrfGuard } from '../../src/request/csrf.guard';
import { Session } from '../../src/request/session.decorator';
import { SessionConfigurationError } from '../../src/session/session-configuration.error';
import { SECRET_A } from '../support/create-test-app';

const REGISTERED = ' Registered namespaces: "auth", "cart".';

function sessionModule() {
  return SessionMultiModule.forRoot({
    sessions: ['auth', 'cart'].map((ns) => ({
      namespace: ns,
      factory: new SignedCookieSessionFactory({ secret: SECRET_A, cookieName: ns }),
    })),
  });
}

/** Compiles and initialises an app; resolves to the init error, if any. */
async function initError(
  controllers: (new () => unknown)[],
  imports: (new () => unknown)[] = [],
): Promise<unknown> {
  const moduleRef = await Test.createTestingModule({
    imports: [sessionModule(), ...imports],
    controllers,
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await app.close();
  }
}

describe('CsrfGuard namespace check at start-up', () => {
  describe('when a handler guard names an unregistered namespace', () => {
    it('should fail start-up naming the controller, the method and the registered namespaces', async () => {
      @Controller()
      class CartController {
        @Post('add')
        @UseGuards(CsrfGuard('carts'))
        add(): string {
          return 'ok';
        }
      }
      const error = await initError([CartController]);
      expect(error).toBeInstanceOf(SessionConfigurationError);
      expect((error as Error).message).toBe(
        `CartController.add(): CsrfGuard("carts") names a namespace that is not registered.${REGISTERED} Register "carts" in SessionMultiModule.forRoot(), forRootAsync() or forFeature(), or fix the name given to CsrfGuard().`,
      );
    });
  });

  describe('when a controller-wide guard names an unregistered namespace', () => {
    it('should fail start-up naming the controller', async () => {
      @Controller()
      @UseGuards(CsrfGuard('autth'))
      class AccountController {
        @Post('save')
        save(): string {
          return 'ok';
        }
      }
      const error = await initError([AccountController]);
      expect((error as Error).message).toBe(
        `AccountController: CsrfGuard("autth") names a namespace that is not registered.${REGISTERED} Register "autth" in SessionMultiModule.forRoot(), forRootAsync() or forFeature(), or fix the name given to CsrfGuard().`,
      );
    });
  });

  describe('when a global guard (APP_GUARD) names an unregistered namespace', () => {
    it('should fail start-up naming the module that provides it', async () => {
      @Module({ providers: [{ provide: APP_GUARD, useClass: CsrfGuard('everything') }] })
      class GuardModule {}
      const error = await initError([], [GuardModule]);
      expect((error as Error).message).toBe(
        `GuardModule (a provider, e.g. APP_GUARD): CsrfGuard("everything") names a namespace that is not registered.${REGISTERED} Register "everything" in SessionMultiModule.forRoot(), forRootAsync() or forFeature(), or fix the name given to CsrfGuard().`,
      );
    });
  });

  describe('when a @Session() parameter names an unregistered namespace', () => {
    it('should still fail start-up with its own message', async () => {
      @Controller()
      class UiController {
        @Post('theme')
        theme(@Session('ui') _ui: Session): string {
          return 'ok';
        }
      }
      const error = await initError([UiController]);
      expect((error as Error).message).toBe(
        `UiController.theme(): @Session("ui") names a namespace that is not registered.${REGISTERED} Register "ui" in SessionMultiModule.forRoot(), forRootAsync() or forFeature(), or fix the name.`,
      );
    });
  });

  describe('when every guard names a registered namespace', () => {
    it('should start', async () => {
      @Controller()
      @UseGuards(CsrfGuard('auth'))
      class FineController {
        @Post('add')
        @UseGuards(CsrfGuard('cart'))
        add(): string {
          return 'ok';
        }
      }
      @Module({ providers: [{ provide: APP_GUARD, useClass: CsrfGuard('cart') }] })
      class GuardModule {}
      expect(await initError([FineController], [GuardModule])).toBeUndefined();
    });
  });
});
