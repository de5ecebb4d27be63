import { SESSION_FACTORY_TOKEN_PREFIX } from './session-multi.constants';

/** The DI token under which a namespace's factory is registered: 'SessionMultiFactory(ns)'. @publicApi */
export function getSessionFactoryToken(namespace: string): string {
  return `${SESSION_FACTORY_TOKEN_PREFIX}(${namespace})`;
}
