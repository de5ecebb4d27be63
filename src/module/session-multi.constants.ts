/** Prefix of per-namespace factory tokens, e.g. 'SessionMultiFactory(cart)'. @internal */
export const SESSION_FACTORY_TOKEN_PREFIX = 'SessionMultiFactory';
/** Token of the feature registrations provider. @internal */
export const SESSION_MULTI_FEATURE = 'session_multi:feature';
