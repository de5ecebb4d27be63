import { Inject } from '@nestjs/common';
import { getSessionFactoryToken } from './session-factory-token.util';

/**
 * Injects a namespace's session factory (registered by `forRoot` and `forFeature`; with
 * `forRootAsync`, inject `SessionRegistry` and call `registry.factory(ns)`).
 *
 * @example constructor(@InjectSessionFactory('auth') private readonly auth: RedisSessionFactory) {}
 * @publicApi
 */
export const InjectSessionFactory = (namespace: string): ParameterDecorator & PropertyDecorator =>
  Inject(getSessionFactoryToken(namespace));
