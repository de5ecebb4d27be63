import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedDebugOptions } from './debug-options';
import { mayView, type AdapterRequest } from './debug-access';
import { detailPage, listPage } from './debug-page';
import { PANEL_CSS } from './debug-page-style';
import { summarize } from './debug-record';
import type { DebugRecorder } from './debug-recorder';

/** The part of Nest's HTTP adapter the panel uses (Express and Fastify alike). @internal */
export interface RouteAdapter {
  get(path: string, handler: (req: unknown, res: unknown) => unknown): unknown;
}

type AdapterReply = { raw?: ServerResponse; hijack?: () => void };

/** No script, no inline style, no framing, nothing sent to other origins. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
};

function rawOf(req: unknown, res: unknown): [IncomingMessage, ServerResponse] {
  const rawReq = (req as AdapterRequest).raw ?? (req as IncomingMessage);
  const reply = res as AdapterReply;
  if (reply.raw !== undefined) {
    // Fastify: the panel writes the Node response itself.
    reply.hijack?.();
    return [rawReq, reply.raw];
  }
  return [rawReq, res as ServerResponse];
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    ...PAGE_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The same answer as a route that does not exist: the panel's presence is not revealed. */
function notFound(req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({
    message: `Cannot ${req.method ?? 'GET'} ${req.url ?? '/'}`,
    error: 'Not Found',
    statusCode: 404,
  });
  res.writeHead(404, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** True for a URL the panel serves (its own requests are never recorded). @internal */
export function isPanelUrl(url: string | undefined, path: string): boolean {
  return (
    url !== undefined &&
    url.startsWith(path) &&
    (url.length === path.length || url[path.length] === '/' || url[path.length] === '?')
  );
}

/**
 * Registers the panel's GET routes on the HTTP adapter: the HTML list and detail pages, their
 * stylesheet and the JSON API. A caller that may not view the panel, or an unknown record, gets
 * the adapter's usual 404.
 *
 * @internal
 */
export function registerPanelRoutes(
  adapter: RouteAdapter,
  options: ResolvedDebugOptions,
  recorder: DebugRecorder,
): void {
  const base = options.path;
  const route = (
    path: string,
    answer: (req: IncomingMessage, res: ServerResponse, id: number | undefined) => boolean,
  ): void => {
    adapter.get(path, async (req: unknown, res: unknown) => {
      const [rawReq, rawRes] = rawOf(req, res);
      const params = (req as { params?: Record<string, string> }).params;
      const id = params?.['id'] === undefined ? undefined : Number(params['id']);
      if (!(await mayView(options, req as AdapterRequest, rawReq)) || !answer(rawReq, rawRes, id)) {
        notFound(rawReq, rawRes);
      }
    });
  };
  const record = (id: number | undefined) =>
    id === undefined || !Number.isInteger(id) ? undefined : recorder.history.find(id);
  const html = 'text/html; charset=utf-8';
  const json = 'application/json; charset=utf-8';
  route(base, (_req, res) => {
    send(res, 200, html, listPage(base, recorder.history.list()));
    return true;
  });
  route(`${base}/panel.css`, (_req, res) => {
    send(res, 200, 'text/css; charset=utf-8', PANEL_CSS);
    return true;
  });
  route(`${base}/requests/:id`, (_req, res, id) => {
    const found = record(id);
    if (found !== undefined) {
      send(res, 200, html, detailPage(base, found));
    }
    return found !== undefined;
  });
  route(`${base}/api/requests`, (_req, res) => {
    send(res, 200, json, JSON.stringify(recorder.history.list().map(summarize)));
    return true;
  });
  route(`${base}/api/requests/:id`, (_req, res, id) => {
    const found = record(id);
    if (found !== undefined) {
      send(res, 200, json, JSON.stringify(found));
    }
    return found !== undefined;
  });
}
