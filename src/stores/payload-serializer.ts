import { SessionMultiError } from '../session/session-multi.error';
import { dropReservedKeys, isPlainObject, type SessionSerializer } from '../session/serializer';

/** Version written as `v`; payloads without it, or below it, are refused as legacy. @publicApi */
export const PAYLOAD_VERSION = 1;

/**
 * What a server-side session stores: pyramid_session_redis's one-letter payload.
 *
 * @publicApi
 */
export interface SessionPayload {
  /** The session data (the "managed dict"). */
  m: Record<string, unknown>;
  /** Creation time, epoch seconds. */
  c: number;
  /** Payload format version ({@link PAYLOAD_VERSION}). */
  v: number;
  /** Per-session idle timeout in seconds, written only after `session.adjustTimeout()`. */
  t?: number;
  /** Expiry, epoch seconds; written when the expiry lives in the payload or was fixed by `adjustExpires()`. */
  x?: number;
  /** Owner (user id) set by `session.setOwner()`, for listing and revocation. */
  o?: string;
  /** Last write, epoch seconds; written for sessions with an owner (shown as "last seen"). */
  w?: number;
}

/**
 * A stored payload could not be deserialized and the namespace has `deserializedFailsNew: false`,
 * so the request fails instead of starting a new session. `cause` is the serializer's error.
 * pyramid_session_redis raises the same-named exception in the same case.
 *
 * @publicApi
 */
export class RawDeserializationError extends SessionMultiError {
  constructor(
    readonly namespace: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Namespace "${namespace}": a stored session payload could not be deserialized (${reason}). Check the serializer, or set deserializedFailsNew: true to start a new session instead.`,
      { cause },
    );
  }
}

/** Result of {@link decodePayload}. @internal */
export type DecodedPayload =
  { ok: true; payload: SessionPayload } | { ok: false; legacy: boolean; cause: unknown };

/** Serializes a payload, leaving out the optional fields that are unset. @internal */
export function encodePayload(payload: SessionPayload, serializer: SessionSerializer): string {
  const out: SessionPayload = { m: payload.m, c: payload.c, v: payload.v };
  if (payload.t !== undefined) {
    out.t = payload.t;
  }
  if (payload.x !== undefined) {
    out.x = payload.x;
  }
  if (payload.o !== undefined) {
    out.o = payload.o;
  }
  if (payload.w !== undefined) {
    out.w = payload.w;
  }
  return serializer.serialize(out);
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Reads a stored payload. Never throws: a failure says whether the payload was merely written by
 * an older format (`legacy`, a new session) or is unreadable (`cause` kept for the hook or the
 * {@link RawDeserializationError}).
 *
 * @internal
 */
export function decodePayload(text: string, serializer: SessionSerializer): DecodedPayload {
  let value: unknown;
  try {
    value = serializer.deserialize(text);
  } catch (cause) {
    return { ok: false, legacy: false, cause };
  }
  if (!isPlainObject(value)) {
    return { ok: false, legacy: false, cause: new TypeError('the payload is not an object') };
  }
  const { m, c, v, t, x, o, w } = value;
  // No version (pyramid_session_redis 1.2's { managed_dict, created, timeout }) or an older one.
  if (typeof v !== 'number' || v < PAYLOAD_VERSION) {
    return {
      ok: false,
      legacy: true,
      cause: new TypeError('the payload has no version or an older one'),
    };
  }
  if (
    v !== PAYLOAD_VERSION ||
    !isPlainObject(m) ||
    !isSeconds(c) ||
    (t !== undefined && (!isSeconds(t) || t <= 0)) ||
    (x !== undefined && !isSeconds(x)) ||
    (o !== undefined && typeof o !== 'string') ||
    (w !== undefined && !isSeconds(w))
  ) {
    return { ok: false, legacy: false, cause: new TypeError('the payload has an unknown shape') };
  }
  const payload: SessionPayload = { m: dropReservedKeys(m), c, v };
  if (t !== undefined) {
    payload.t = t;
  }
  if (x !== undefined) {
    payload.x = x;
  }
  if (typeof o === 'string') {
    payload.o = o;
  }
  if (w !== undefined) {
    payload.w = w;
  }
  return { ok: true, payload };
}
