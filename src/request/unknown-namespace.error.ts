import { SessionMultiError } from '../session/session-multi.error';

/** A handler asked for a namespace that was never registered. @publicApi */
export class UnknownNamespaceError extends SessionMultiError {
  constructor(
    readonly namespace: string,
    known: readonly string[],
  ) {
    const list = known.length > 0 ? known.map((n) => `"${n}"`).join(', ') : '(none)';
    super(
      `Unknown session namespace "${namespace}". Registered namespaces: ${list}. Register it in SessionMultiModule.forRoot(), forRootAsync() or forFeature().`,
    );
  }
}
