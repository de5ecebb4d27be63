import { SessionMultiError } from './session-multi.error';

/**
 * The session configuration cannot work. Raised while the application starts (at `compile()` /
 * `app.init()`), for `forRoot`, `forRootAsync` and `forFeature` alike; the message names the
 * namespace, the rule and the fix.
 *
 * @publicApi
 */
export class SessionConfigurationError extends SessionMultiError {}
