import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Header,
  Post,
  Redirect,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import {
  CsrfGuard,
  Session,
  SessionRegistry,
  Sessions,
  type SessionContainer,
} from '../../src/index';
import { DEMO_PASSWORD } from './auth-store';
import { CsrfForbiddenFilter } from './csrf-forbidden.filter';
import { escapeHtml, hidden } from './views/html';
import { renderPage } from './views/layout';

/** What the `auth` namespace holds once logged in. */
export interface AuthData {
  user: string;
  loggedInAt: number;
}

function passwordMatches(submitted: unknown): boolean {
  if (typeof submitted !== 'string') {
    return false;
  }
  // Equal-length digests, compared in constant time.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(submitted), digest(DEMO_PASSWORD));
}

/** Login, logout and a members-only page on the server-side `auth` namespace. */
@Controller()
@UseFilters(CsrfForbiddenFilter)
export class AuthController {
  constructor(private readonly registry: SessionRegistry) {}

  @Get('login')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async loginForm(@Sessions() sessions: SessionContainer): Promise<string> {
    const auth = await sessions.get<AuthData>('auth');
    const user = auth?.get('user');
    const body =
      user !== undefined
        ? `<p>You are logged in as <strong>${escapeHtml(user)}</strong>. See the
<a href="/account">members page</a>.</p>`
        : `<form method="post" action="/login">
<p><label>Username <input name="username" required maxlength="40" autocomplete="username"></label></p>
<p><label>Password <input name="password" type="password" required autocomplete="current-password"></label></p>
<p><button>Log in</button></p>
</form>
<p>Any username works with the demo password <code>${escapeHtml(DEMO_PASSWORD)}</code>.</p>`;
    return renderPage({
      title: 'Log in',
      sessions,
      body: `${body}
<p>The <code>auth</code> namespace is <strong>server-side</strong>: its cookie holds only a signed
id, and the data lives in a store (one file per session under the system temp directory, or Redis
when <code>REDIS_URL</code> is set). Visiting this page as a guest creates nothing: no record, no
cookie. Logging in stores your name, then calls <code>auth.regenerate()</code>, so the session gets
a fresh id and any id an attacker planted before the login is worthless (session fixation).</p>`,
    });
  }

  @Post('login')
  @Redirect('/account', 303)
  async login(
    @Session('auth') auth: Session<AuthData>,
    @Session('ui') ui: Session,
    @Body('username') username: unknown,
    @Body('password') password: unknown,
  ): Promise<{ url: string } | void> {
    const name = typeof username === 'string' ? username.trim() : '';
    if (name === '' || name.length > 40 || !passwordMatches(password)) {
      ui.flash('Wrong username or password.', { queue: 'error', allowDuplicate: false });
      return { url: '/login' };
    }
    auth.set('user', name);
    auth.set('loggedInAt', Math.floor(Date.now() / 1000));
    // New id, same data, old record deleted: no pre-login id survives the login.
    await auth.regenerate();
    // Listed on "Your sessions", and ended by "Log out other devices".
    auth.setOwner(name);
    ui.flash(`Welcome, ${name}.`);
  }

  @Get('account/sessions')
  async sessionsPage(@Sessions() sessions: SessionContainer, @Res() res: Response): Promise<void> {
    const auth = (await sessions.get<AuthData>('auth'))!;
    const user = auth.get('user');
    if (user === undefined) {
      res.redirect(303, '/login');
      return;
    }
    const mine = this.registry.handleOf(auth);
    const rows = (await this.registry.listSessions('auth', user))
      .map(
        (s) =>
          `<li>${escapeHtml(new Date(s.lastSeen * 1000).toISOString())}${s.handle === mine ? ' (this device)' : ''}</li>`,
      )
      .join('\n');
    const page = await renderPage({
      title: 'Your sessions',
      sessions,
      body: `<p>Where <strong>${escapeHtml(user)}</strong> is logged in, by last activity:</p>
<ul>${rows}</ul>
<form method="post" action="/account/logout-others">${hidden('_csrf', auth.getCsrfToken())}<button>Log out other devices</button></form>
<p>Each login calls <code>auth.setOwner(user)</code>, which files the session under the user in
the store (hashed ids only). <code>SessionRegistry.revokeAllForUser()</code> then ends every other
session: their cookies are refused from the next request on.</p>`,
    });
    res.type('html').send(page);
  }

  @Post('account/logout-others')
  @UseGuards(CsrfGuard('auth'))
  @Redirect('/account/sessions', 303)
  async logoutOthers(
    @Session('auth') auth: Session<AuthData>,
    @Session('ui') ui: Session,
  ): Promise<void> {
    const user = auth.get('user');
    if (user !== undefined) {
      const ended = await this.registry.revokeAllForUser('auth', user, { except: auth });
      ui.flash(`Logged out ${ended} other session(s).`);
    }
  }

  /**
   * Written with `@Res()`: the library's safety net still commits the sessions (here, the ui
   * flash for guests and the auth CSRF token) before `res.redirect()` / `res.send()` go out.
   */
  @Get('account')
  async account(@Sessions() sessions: SessionContainer, @Res() res: Response): Promise<void> {
    const auth = (await sessions.get<AuthData>('auth'))!;
    const user = auth.get('user');
    if (user === undefined) {
      (await sessions.get('ui'))!.flash('Log in to see the members page.', { queue: 'error' });
      res.redirect(303, '/login');
      return;
    }
    const since = new Date(auth.get('loggedInAt', 0) * 1000).toISOString();
    const page = await renderPage({
      title: 'Members only',
      sessions,
      body: `
<p>Hello <strong>${escapeHtml(user)}</strong>, logged in since ${escapeHtml(since)}.</p>
<form method="post" action="/logout">${hidden('_csrf', auth.getCsrfToken())}<button>Log out</button></form>
<p><a href="/account/sessions">Your sessions</a></p>
<p>Logging out calls <code>auth.invalidate()</code>: the record is deleted from the store at
once and the cookie is cleared. Unlike a signed cookie, a copy of the old <code>auth</code> cookie
is worthless afterwards, because the session it names no longer exists.</p>
<p>The logout form carries the <code>auth</code> session's CSRF token and is guarded by
<code>CsrfGuard('auth')</code>.</p>`,
    });
    res.type('html').send(page);
  }

  @Post('logout')
  @UseGuards(CsrfGuard('auth'))
  @Redirect('/', 303)
  async logout(
    @Session('auth') auth: Session<AuthData>,
    @Session('ui') ui: Session,
  ): Promise<void> {
    await auth.invalidate();
    ui.flash('You are logged out; your session record was deleted.');
  }
}
