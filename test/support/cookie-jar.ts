import type { Response } from 'supertest';

/** The Set-Cookie headers of a response, as an array (empty when none). */
export function setCookies(res: Response): string[] {
  const header = res.headers['set-cookie'] as string | string[] | undefined;
  if (header === undefined) {
    return [];
  }
  return Array.isArray(header) ? header : [header];
}

/** The Set-Cookie header for one cookie name, or undefined. */
export function setCookieFor(res: Response, name: string): string | undefined {
  return setCookies(res).find((c) => c.startsWith(`${name}=`));
}

/** The `name=value` pair of a Set-Cookie header for use in a Cookie request header. */
export function cookiePair(res: Response, name: string): string {
  const header = setCookieFor(res, name);
  if (header === undefined) {
    throw new Error(`response did not set cookie "${name}"`);
  }
  return header.split(';')[0]!;
}

/** The raw value of a cookie set by the response. */
export function cookieValue(res: Response, name: string): string {
  return cookiePair(res, name).slice(name.length + 1);
}

/** A tiny jar: keeps the latest value of each cookie across requests, drops cleared ones. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): this {
    for (const header of setCookies(res)) {
      const pair = header.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(header)) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): this {
    this.cookies.set(name, value);
    return this;
  }

  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}
