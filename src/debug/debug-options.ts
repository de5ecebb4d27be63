import { BlockList, isIP } from 'node:net';
import { SessionConfigurationError } from '../session/session-configuration.error';
import type {
  DebugCapture,
  SessionMultiDebugOptions,
} from './session-multi-debug-options.interface';

/** Key fragments whose values are always masked. @publicApi */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'password',
  'secret',
  'token',
  'csrf',
  'auth',
  'key',
]);

/** The options with defaults applied and checked. @internal */
export interface ResolvedDebugOptions {
  enabled: boolean;
  path: string;
  authorize: SessionMultiDebugOptions['authorize'];
  allowed: BlockList;
  historySize: number;
  redact: readonly string[];
  capture: DebugCapture;
}

const LOOPBACK = ['127.0.0.0/8', '::1'];
const PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

function fail(rule: string): never {
  throw new SessionConfigurationError(`SessionMultiDebugModule: ${rule}`);
}

function addressList(entries: unknown): BlockList {
  if (!Array.isArray(entries) || entries.length === 0) {
    fail(
      `allowedIps is ${JSON.stringify(entries)}; it must be a non-empty array of addresses. Pass e.g. allowedIps: ['127.0.0.1'].`,
    );
  }
  const list = new BlockList();
  for (const entry of entries as unknown[]) {
    const [address, prefix, extra] = typeof entry === 'string' ? entry.split('/') : [];
    const family = address === undefined ? 0 : isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= max))
    ) {
      fail(
        `allowedIps entry ${JSON.stringify(entry)} is not an IP address or address/prefix. Use e.g. "10.0.0.5" or "10.0.0.0/8".`,
      );
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) {
      list.addAddress(address!, type);
    } else {
      list.addSubnet(address!, bits, type);
    }
  }
  return list;
}

/**
 * Checks the options and applies defaults. Throws `SessionConfigurationError` naming the option
 * and the fix; refuses an enabled panel in production without `allowInProduction` and
 * `authorize`.
 *
 * @internal
 */
export function resolveDebugOptions(
  options: SessionMultiDebugOptions,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): ResolvedDebugOptions {
  if (options == null || typeof options !== 'object') {
    fail('options are missing. Pass forRoot({ enabled: ... }).');
  }
  if (typeof options.enabled !== 'boolean') {
    fail(
      `enabled is ${JSON.stringify(options.enabled)}; it must be true or false (there is no default). Pass e.g. enabled: process.env.NODE_ENV === 'development'.`,
    );
  }
  const path = options.path ?? '/_session_multi';
  if (typeof path !== 'string' || !PATH.test(path) || /\/\.\.?(\/|$)/.test(path)) {
    fail(
      `path ${JSON.stringify(path)} is not a plain URL path. Use segments of letters, digits, ".", "_", "~" or "-" after a leading "/", e.g. "/_session_multi".`,
    );
  }
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    fail('authorize must be a function (req) => boolean | Promise<boolean>.');
  }
  const historySize = options.historySize ?? 50;
  if (!Number.isInteger(historySize) || historySize < 1 || historySize > 10_000) {
    fail(
      `historySize is ${String(historySize)}; it must be a whole number from 1 to 10000. Fix the historySize option.`,
    );
  }
  const redact = options.redact ?? [];
  if (!Array.isArray(redact) || redact.some((k) => typeof k !== 'string' || k === '')) {
    fail('redact must be an array of non-empty strings (key fragments to mask).');
  }
  const capture = options.capture ?? 'accessed';
  if (capture !== 'accessed' && capture !== 'all') {
    fail(`capture is ${JSON.stringify(capture)}; it must be 'accessed' or 'all'.`);
  }
  if (options.enabled && nodeEnv === 'production') {
    if (options.allowInProduction !== true || options.authorize === undefined) {
      fail(
        'the panel is enabled while NODE_ENV is "production"; it shows session data and is refused there. Pass enabled: false in production, or both allowInProduction: true and an authorize function.',
      );
    }
  }
  return {
    enabled: options.enabled,
    path,
    authorize: options.authorize,
    allowed: addressList(options.allowedIps ?? LOOPBACK),
    historySize,
    redact: [...DEFAULT_REDACT_KEYS, ...redact].map((k) => k.toLowerCase()),
    capture,
  };
}
