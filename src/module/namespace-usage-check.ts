import type { ModulesContainer } from '@nestjs/core';
import { NAMESPACE_PARAMS_METADATA } from '../request/session-multi.metadata';
import { SessionConfigurationError } from '../session/session-configuration.error';
import { messages } from './session-multi.messages';
import type { SessionRegistry } from './session-registry';

/**
 * Checks every `@Session('ns')` parameter of every controller against the registry once the
 * application has started, so a typo fails start-up instead of every request to the route.
 *
 * @internal
 */
export function assertKnownNamespaces(modules: ModulesContainer, registry: SessionRegistry): void {
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null | undefined;
      const prototype = type?.prototype as Record<string, unknown> | undefined;
      if (prototype === undefined) {
        continue;
      }
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const handler = Object.getOwnPropertyDescriptor(prototype, method)?.value as unknown;
        if (typeof handler !== 'function') {
          continue;
        }
        const used = Reflect.getMetadata(NAMESPACE_PARAMS_METADATA, handler) as
          string[] | undefined;
        for (const namespace of used ?? []) {
          if (!registry.has(namespace)) {
            throw new SessionConfigurationError(
              messages.unknownRouteNamespace(type!.name, method, namespace, registry.namespaces),
            );
          }
        }
      }
    }
  }
}
