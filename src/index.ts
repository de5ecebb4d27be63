// Public API of nestjs-session-multi: explicit named exports only.

// module
export { SessionMultiModule } from './module/session-multi.module';
export type {
  Discriminator,
  NamespaceRegistration,
  SessionMultiModuleOptions,
  SessionMultiOptionsFactory,
} from './module/session-multi-options.interface';
export { SessionRegistry } from './module/session-registry';
export { getSessionFactoryToken } from './module/session-factory-token.util';
export { InjectSessionFactory } from './module/inject-session-factory.decorator';
export { SessionConfigurationError } from './session/session-configuration.error';

// request
export { SessionContainer } from './request/session-container';
export type { SessionMultiRequest } from './request/session-multi.middleware';
export { Session, MultiSession, Sessions } from './request/session.decorator';
export { UnknownNamespaceError } from './request/unknown-namespace.error';
export { CsrfGuard, type CsrfGuardOptions } from './request/csrf.guard';
export { SessionStoreUnavailableException } from './request/session-store-unavailable.exception';
export { SessionConflictException } from './request/session-conflict.exception';
export { SessionRedirectException } from './request/session-redirect.exception';
export { SessionCommitInterceptor } from './request/session-commit.interceptor';

// session
export { NamespacedSession } from './session/session';
export type { SessionInit } from './session/session-init.interface';
export type { SessionBackend } from './session/session-backend.interface';
export type { FlashOptions } from './session/flash';
export { csrfTokensMatch } from './session/csrf';
export type { SessionSerializer } from './session/serializer';
export {
  SessionMultiError,
  SessionValueError,
  SessionUnsupportedError,
} from './session/session-multi.error';
export {
  InvalidSession,
  InvalidSessionNoCookie,
  InvalidSessionSignature,
  InvalidSessionDeserialization,
  InvalidSessionTimeout,
  InvalidSessionLifetime,
  InvalidSessionNotInStore,
  InvalidSessionLegacyPayload,
} from './session/invalid-session.errors';

// crypto
export { generateSessionId } from './crypto/session-id';
export type { SecretOrSecrets } from './crypto/secret';

// factories
export type {
  SessionFactory,
  SessionHooks,
  LoadContext,
  CommitContext,
  CookiePolicy,
  CookieVeto,
  SessionRequest,
  SessionResponse,
} from './factories/session-factory.interface';
export type { SessionCookieOptions, ResolvedCookieOptions } from './factories/cookie-options';
export { resolveCookieOptions } from './factories/cookie-options';
export { SessionCookieTooLargeError } from './factories/session-cookie-too-large.error';
export {
  SignedCookieSessionFactory,
  type SignedCookieSessionOptions,
} from './factories/signed-cookie-session.factory';
export { CookieSessionFactory } from './factories/cookie-session.factory';
export type { CookieSessionOptions } from './factories/cookie-session.options';
export {
  EncryptedCookieSessionFactory,
  type EncryptedCookieSessionOptions,
  type KeyOrKeys,
} from './factories/encrypted-cookie-session.factory';
export { ServerSessionFactory } from './factories/server-session.factory';
export type {
  ServerSessionOptions,
  StoreErrorPolicy,
  ConflictPolicy,
} from './factories/server-session.options';
export {
  SessionConflictError,
  type SessionConflictReason,
} from './factories/session-conflict.error';
export {
  cookieTransport,
  headerTransport,
  queryTransport,
  type CookieTransport,
  type HeaderTransport,
  type QueryTransport,
  type SessionIdTransport,
} from './factories/transports/session-id-transport';
export { SessionRedirect } from './factories/transports/session-redirect.error';
export type { SessionLogger } from './factories/session-logger';
export type { OwnedSession } from './factories/owner-index';
export {
  RedisSessionFactory,
  type RedisSessionFactoryOptions,
} from './factories/redis-session.factory';
export {
  redisSessionFactoryFromSettings,
  type RedisSessionSettings,
  type RedisClientCallable,
} from './factories/redis-settings';

// stores
export { SessionStoreError } from './stores/session-store.error';
export type {
  SessionStore,
  StoreSetOptions,
  StoreReplaceOptions,
  ReplaceResult,
} from './stores/session-store.interface';
export { payloadFingerprint } from './stores/payload-fingerprint';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory.store';
export { FileStore, type FileStoreOptions } from './stores/file.store';
export {
  RedisStore,
  type RedisStoreOptions,
  type RedisStoreClient,
  type IoredisClient,
  type NodeRedisClient,
  type RedisNodeAddress,
} from './stores/redis.store';
export { StoreTimeoutError } from './stores/store-timeout.error';
export { InvalidStoreKeyError } from './stores/invalid-store-key.error';
export { RawDeserializationError, type SessionPayload } from './stores/payload-serializer';

// debug
export { SessionMultiDebugModule } from './debug/session-multi-debug.module';
export type {
  DebugCapture,
  SessionMultiDebugOptions,
} from './debug/session-multi-debug-options.interface';
export { DEFAULT_REDACT_KEYS } from './debug/debug-options';
export type {
  CommitOutcome,
  MountResult,
  NamespaceRecord,
  RequestRecord,
  RequestSummary,
} from './debug/debug-record';
