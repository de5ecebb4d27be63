import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ADAPTERS } from '../support/create-test-app';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { createDebugApp } from './debug-panel-fixtures';

/** The page's globals (the tests compile without the DOM library). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { backgroundColor: string };
  __x?: unknown;
}

const XSS = '<img src=x onerror="window.__x=1">';
const REDACTED_VALUE = 'hunter2-ui-secret';

/** Posts to the app like a browser session would, keeping the cookies between requests. */
async function post(base: string, path: string, cookies: Map<string, string>): Promise<void> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  expect(res.status).toBe(201);
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
}

describe('SessionMultiDebugModule in headless Chromium', () => {
  let server: RedisServer;
  let context: BrowserContext | undefined;
  let profile: string;

  beforeAll(async () => {
    server = await startRedisServer();
    profile = mkdtempSync(join(tmpdir(), 'nsm-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      // Debian's package; scripts/test-prerequisites.sh installs it before npm test.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-gpu',
        '--no-first-run',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    await server?.stop();
  }, 60_000);

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: INestApplication;
    let base: string;
    let page: Page;

    beforeAll(async () => {
      app = await createDebugApp(adapter, server.url);
      await app.listen(0, '127.0.0.1');
      base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const cookies = new Map<string, string>();
      await post(base, '/ui', cookies);
      await post(base, '/ui/xss', cookies);
      await post(base, '/ui/theme', cookies);
      page = await context!.newPage();
    }, 120_000);

    afterAll(async () => {
      await page?.close();
      // The browser keeps its connections alive; the server would wait for them on close.
      (app?.getHttpServer() as Server | undefined)?.closeAllConnections();
      await app?.close();
    }, 60_000);

    it('should list the requests and show a namespace before and after with changed keys marked', async () => {
      const response = await page.goto(`${base}/_session_multi`);
      expect(response!.status()).toBe(200);
      const csp = response!.headers()['content-security-policy']!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      await expect(page.locator('tr.request td.path').allTextContents()).resolves.toEqual(
        expect.arrayContaining(['/ui', '/ui/xss', '/ui/theme']),
      );

      await page.locator('tr.request', { hasText: '/ui/theme' }).locator('a').click();
      const ui = page.locator('section[data-namespace="ui"]');
      await expect(
        ui.locator('tr.changed[data-key="theme"] td.before').textContent(),
      ).resolves.toContain('"dark"');
      await expect(
        ui.locator('tr.changed[data-key="theme"] td.after').textContent(),
      ).resolves.toContain('"light"');
      await expect(ui.locator('tr.added[data-key="lang"]').count()).resolves.toBe(1);
      await expect(ui.locator('tr.removed[data-key="note"]').count()).resolves.toBe(1);
      await expect(page.locator('section.untouched[data-namespace="auth"]').count()).resolves.toBe(
        1,
      );
      // The stylesheet loads under the CSP: changed rows are highlighted.
      const background = await ui
        .locator('tr.changed')
        .first()
        .evaluate(
          (row) => (globalThis as unknown as BrowserGlobals).getComputedStyle(row).backgroundColor,
        );
      expect(background).toBe('rgb(255, 244, 214)');
    }, 60_000);

    it('should render a stored HTML payload as text without running it', async () => {
      await page.goto(`${base}/_session_multi`);
      await page.locator('tr.request', { hasText: '/ui/xss' }).locator('a').click();
      const cell = page.locator('section[data-namespace="ui"] tr[data-key="note"] td.after');
      // Shown as its JSON text, quotes escaped: the markup is text, not an element.
      await expect(cell.textContent()).resolves.toBe(JSON.stringify(XSS));
      await expect(page.locator('section img').count()).resolves.toBe(0);
      await expect(
        page.evaluate(() => (globalThis as unknown as BrowserGlobals).__x),
      ).resolves.toBeUndefined();
    }, 60_000);

    it('should never put a redacted value in the page source or the JSON', async () => {
      await page.goto(`${base}/_session_multi`);
      await page.locator('tr.request', { hasText: '/ui/theme' }).locator('a').click();
      const html = await page.content();
      expect(html).toContain('password');
      expect(html).toContain('[redacted]');
      expect(html).not.toContain(REDACTED_VALUE);
      for (const path of ['/_session_multi/api/requests']) {
        const list = await page.goto(base + path);
        const text = await list!.text();
        expect(text).not.toContain(REDACTED_VALUE);
        for (const { id } of JSON.parse(text) as { id: number }[]) {
          const detail = await page.goto(`${base}/_session_multi/api/requests/${id}`);
          expect(await detail!.text()).not.toContain(REDACTED_VALUE);
        }
      }
    }, 60_000);
  });
});
