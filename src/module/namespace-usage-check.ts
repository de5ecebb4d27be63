import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import {
  CSRF_GUARD_NAMESPACE_METADATA,
  NAMESPACE_PARAMS_METADATA,
} from '../request/session-multi.metadata';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { messages } from './session-multi.messages';
import type { SessionRegistry } from './session-registry';

type Class = new (...args: never[]) => object;

/**
 * Checks every namespace a route names against the registry once the application has started,
 * so a typo fails start-up instead of every request to the route: `@Session('ns')` parameters,
 * `CsrfGuard('ns')` in `@UseGuards()` of a controller or a handler, and `CsrfGuard('ns')`
 * registered anywhere else (a global `APP_GUARD`).
 *
 * @internal
 */
export function assertKnownNamespaces(modules: ModulesContainer, registry: SessionRegistry): void {
  const fail = (where: string, kind: 'param' | 'guard', ns: string): never => {
    throw new SessionConfigurationError(
      kind === 'param'
        ? messages.unknownRouteNamespace(where, ns, registry.namespaces)
        : messages.unknownCsrfGuardNamespace(where, ns, registry.namespaces),
    );
  };
  const checkGuards = (where: string, target: object): void => {
    for (const ns of csrfNamespaces(Reflect.getMetadata(GUARDS_METADATA, target))) {
      if (!registry.has(ns)) {
        fail(where, 'guard', ns);
      }
    }
  };
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as Class | null | undefined;
      const prototype = type?.prototype as Record<string, unknown> | undefined;
      if (type == null || prototype === undefined) {
        continue;
      }
      checkGuards(type.name, type);
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const handler = Object.getOwnPropertyDescriptor(prototype, method)?.value as unknown;
        if (typeof handler !== 'function') {
          continue;
        }
        const where = `${type.name}.${method}()`;
        const used = Reflect.getMetadata(NAMESPACE_PARAMS_METADATA, handler) as
          string[] | undefined;
        for (const namespace of used ?? []) {
          if (!registry.has(namespace)) {
            fail(where, 'param', namespace);
          }
        }
        checkGuards(where, handler);
      }
    }
    for (const wrapper of [...module.providers.values(), ...module.injectables.values()]) {
      const ns = csrfNamespace(wrapper.metatype);
      if (ns !== undefined && !registry.has(ns)) {
        fail(`${module.metatype?.name ?? 'A module'} (a provider, e.g. APP_GUARD)`, 'guard', ns);
      }
    }
  }
}

/** Namespaces of the CsrfGuard classes among `@UseGuards()` entries. */
function csrfNamespaces(guards: unknown): string[] {
  if (!Array.isArray(guards)) {
    return [];
  }
  return guards.map(csrfNamespace).filter((ns): ns is string => ns !== undefined);
}

function csrfNamespace(guard: unknown): string | undefined {
  if (typeof guard !== 'function') {
    return undefined;
  }
  const ns: unknown = Reflect.getMetadata(CSRF_GUARD_NAMESPACE_METADATA, guard);
  return typeof ns === 'string' ? ns : undefined;
}
