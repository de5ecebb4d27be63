import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SessionMultiModuleOptions } from './session-multi-options.interface';

/** forRoot / forRootAsync (useFactory, useClass, useExisting) come from Nest's builder. @internal */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: SESSION_MULTI_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SessionMultiModuleOptions>({ moduleName: 'SessionMulti' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSessionMultiOptions')
  // Global by default: sessions are application-wide, and forFeature() needs the registry.
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    // `isGlobal: undefined` (e.g. read from an unset setting) keeps the default.
    global: extras.isGlobal ?? true,
  }))
  .build();
