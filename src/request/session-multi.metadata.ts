/** Namespaces a handler's `@Session(ns)` parameters name, checked against the registry at start-up. @internal */
export const NAMESPACE_PARAMS_METADATA = 'session_multi:namespaces';
/** The namespace a `CsrfGuard(ns)` class checks, read by the start-up namespace check. @internal */
export const CSRF_GUARD_NAMESPACE_METADATA = 'session_multi:csrf_namespace';
