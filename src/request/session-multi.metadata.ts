/** Namespaces a handler's `@Session(ns)` parameters name, checked against the registry at start-up. @internal */
export const NAMESPACE_PARAMS_METADATA = 'session_multi:namespaces';
