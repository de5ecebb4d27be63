function namespaceList(known: readonly string[]): string {
  return known.length === 0 ? '(none)' : known.map((k) => `"${k}"`).join(', ');
}

/** Message factories for start-up validation: subject, rule broken, fix. @internal */
export const messages = {
  emptyNamespace: (ns: unknown) =>
    `Namespace ${JSON.stringify(typeof ns === 'string' ? ns : '')}: a namespace must be a non-empty string. Give the registration a namespace such as 'cart'.`,
  missingFactory: (ns: string) =>
    `Namespace "${ns}": no session factory was given. Pass a factory, e.g. factory: new SignedCookieSessionFactory({ ... }).`,
  duplicateNamespace: (ns: string) =>
    `Namespace "${ns}" is registered twice. Give each registration its own namespace.`,
  sharedFactory: (ns: string, other: string) =>
    `Namespace "${ns}": its factory instance is already registered for namespace "${other}". Create one factory instance per namespace.`,
  missingCookieOptions: (ns: string) =>
    `Namespace "${ns}": the factory has no cookieOptions, so its cookie attributes cannot be checked. Expose cookieOptions (see resolveCookieOptions) in your SessionFactory.`,
  missingCookieName: (ns: string) =>
    `Namespace "${ns}": the factory has no cookie name. Set cookieName in the factory options.`,
  duplicateCookieName: (ns: string, cookie: string, other: string) =>
    `Namespace "${ns}": cookie name "${cookie}" is already used by namespace "${other}". Give each namespace its own cookieName.`,
  duplicateTransportName: (ns: string, kind: 'header' | 'query', name: string, other: string) =>
    kind === 'header'
      ? `Namespace "${ns}": header "${name}" already carries the session id of namespace "${other}". Give each namespace its own headerTransport({ name }).`
      : `Namespace "${ns}": query parameter "${name}" already carries the session id of namespace "${other}". Give each namespace its own queryTransport({ param }).`,
  badCookieName: (ns: string, cookie: string) =>
    `Namespace "${ns}": cookie name "${cookie}" contains characters outside RFC 6265 tokens (no spaces, separators or ;,=). Use letters, digits and !#$%&'*+-.^_\`|~ only.`,
  badCookiePath: (ns: string, path: string) =>
    `Namespace "${ns}": cookie path "${path}" must start with "/" and contain no ";" or control characters. Fix the path option.`,
  badCookieDomain: (ns: string, domain: string) =>
    `Namespace "${ns}": cookie domain "${domain}" is not a valid domain name. Fix the domain option or leave it unset.`,
  sameSiteNoneInsecure: (ns: string) =>
    `Namespace "${ns}": sameSite 'none' without secure: true is dropped by browsers. Set secure: true, or use sameSite 'lax'.`,
  partitionedInsecure: (ns: string) =>
    `Namespace "${ns}": partitioned: true without secure: true is dropped by browsers. Set secure: true, or remove partitioned.`,
  hostPrefix: (ns: string, cookie: string) =>
    `Namespace "${ns}": cookie "${cookie}" has the __Host- prefix, which browsers accept only with secure: true, path '/' and no domain. Fix those options or rename the cookie.`,
  securePrefix: (ns: string, cookie: string) =>
    `Namespace "${ns}": cookie "${cookie}" has the __Secure- prefix, which browsers accept only with secure: true. Set secure: true or rename the cookie.`,
  registryFrozen: (ns: string) =>
    `Namespace "${ns}": namespaces cannot be registered after the application has started. Register it in SessionMultiModule.forRoot() or forFeature().`,
  unknownRouteNamespace: (handler: string, ns: string, known: string[]) =>
    `${handler}: @Session("${ns}") names a namespace that is not registered. Registered namespaces: ${namespaceList(known)}. Register "${ns}" in SessionMultiModule.forRoot(), forRootAsync() or forFeature(), or fix the name.`,
  unknownCsrfGuardNamespace: (where: string, ns: string, known: string[]) =>
    `${where}: CsrfGuard("${ns}") names a namespace that is not registered. Registered namespaces: ${namespaceList(known)}. Register "${ns}" in SessionMultiModule.forRoot(), forRootAsync() or forFeature(), or fix the name given to CsrfGuard().`,
} as const;
