import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Response } from 'express';
import type { FastifyReply } from 'fastify';

/**
 * What `@Res()` injects: an Express `Response` or a Fastify `FastifyReply`. Handlers of suites
 * that run over both adapters (`describe.each(ADAPTERS)`) send through these helpers, which call
 * each framework's own API, never a shared subset that would hide a difference.
 */
export type NativeResponse = Response | FastifyReply;

export function isFastifyReply(res: NativeResponse): res is FastifyReply {
  return 'raw' in res && typeof res.code === 'function';
}

/** The Node response under the framework's object. */
export function rawResponse(res: NativeResponse): ServerResponse {
  return isFastifyReply(res) ? res.raw : res;
}

/** Sets the status without sending (passthrough handlers). */
export function setStatus(res: NativeResponse, status: number): void {
  if (isFastifyReply(res)) {
    res.code(status);
  } else {
    res.status(status);
  }
}

/** Sends `body` with `status`: `res.status().send()` / `reply.code().send()` (objects as JSON). */
export function sendWith(res: NativeResponse, status: number, body: unknown): void {
  if (isFastifyReply(res)) {
    void res.code(status).send(body);
  } else if (typeof body === 'string') {
    res.status(status).send(body);
  } else {
    res.status(status).json(body);
  }
}

/** Sets one response header through the framework (`res.setHeader` / `reply.header`). */
export function setHeader(res: NativeResponse, name: string, value: string): void {
  if (isFastifyReply(res)) {
    res.header(name, value);
  } else {
    res.setHeader(name, value);
  }
}

/**
 * The application's own cookie `name=value; Path=/`: Express `res.cookie()`; Fastify (without
 * @fastify/cookie) a `Set-Cookie` header on the reply.
 */
export function appCookie(res: NativeResponse, name: string, value: string): void {
  if (isFastifyReply(res)) {
    res.header('set-cookie', `${name}=${value}; Path=/`);
  } else {
    res.cookie(name, value);
  }
}

/** Redirects: Express `res.redirect(status, url)`, Fastify 5 `reply.redirect(url, status)`. */
export function redirect(res: NativeResponse, status: number, url: string): void {
  if (isFastifyReply(res)) {
    void res.redirect(url, status);
  } else {
    res.redirect(status, url);
  }
}

/** Sends a stream: Express `stream.pipe(res)`, Fastify `reply.send(stream)`. */
export function sendStream(res: NativeResponse, stream: Readable, contentType: string): void {
  if (isFastifyReply(res)) {
    void res.header('content-type', contentType).send(stream);
  } else {
    res.setHeader('content-type', contentType);
    stream.pipe(res);
  }
}

/**
 * The Node response, for a handler that writes it piece by piece. On Fastify the reply is
 * hijacked first (Fastify's documented way to write `reply.raw` yourself).
 */
export function writeYourself(res: NativeResponse): ServerResponse {
  if (isFastifyReply(res)) {
    res.hijack();
    return res.raw;
  }
  return res;
}
