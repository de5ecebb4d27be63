/** Message factories for the errors a session method throws: subject, rule broken, fix. @internal */
export const sessionMessages = {
  reservedKey: (key: unknown) =>
    `Session key "${String(key)}" is reserved or not a string. Use another key name.`,
  badOwner: (userId: unknown) =>
    `setOwner(${JSON.stringify(userId)}): pass the user's id as a non-empty string.`,
  ownerUnsupported: (ns: string) =>
    `Namespace "${ns}": setOwner() needs a server-side session (ServerSessionFactory, RedisSessionFactory); cookie sessions cannot be listed or revoked.`,
  badTimeout: (seconds: number) =>
    `adjustTimeout(${seconds}): pass a whole number of seconds above 0.`,
  badExpires: (epochSeconds: number) => `adjustExpires(${epochSeconds}): pass epoch seconds.`,
};
