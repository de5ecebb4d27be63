import { Controller, Get, Header } from '@nestjs/common';
import { Sessions, type SessionContainer } from '../../src/index';
import { renderPage } from './views/layout';

/** The home page, and a page that touches no session at all. */
@Controller()
export class HomeController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(@Sessions() sessions: SessionContainer): Promise<string> {
    return renderPage({
      title: 'Several sessions, one request',
      sessions,
      body: `
<p>This site keeps <strong>independent sessions</strong> side by side, each with its own cookie,
secret and rules, and loads a namespace only when a handler asks for it. Open your browser's
developer tools (Network tab, response headers) while you click around.</p>
<dl>
  <dt><a href="/theme">Theme</a>: namespace <code>ui</code></dt>
  <dd>A light/dark preference chosen with a form post, and flash messages shown once after the
  redirect (post, flash, redirect, page pops the flash). The post sets the <code>ui</code> cookie
  and no other.</dd>
  <dt><a href="/cart">Cart</a>: namespace <code>cart</code></dt>
  <dd>A cart in its own signed cookie with its own secret and a week-long lifetime. Its forms
  carry a CSRF token; a form without it gets <strong>403</strong>. Emptying the cart
  invalidates the session and deletes its cookie.</dd>
  <dt><a href="/secure">https only</a>: namespace <code>https_only</code></dt>
  <dd>Mounted only when <code>req.secure</code> is true (a discriminator). On plain http the
  handler gets <code>null</code> and no cookie is read or written.</dd>
  <dt><a href="/account">Members</a> and <a href="/login">Log in</a>: namespace <code>auth</code></dt>
  <dd>A login session kept on the server (a file per session under the system temp directory, or
  Redis when <code>REDIS_URL</code> is set); its cookie holds only a signed id. Login calls
  <code>regenerate()</code> (new id, old record deleted), logout calls <code>invalidate()</code>
  (record deleted at once). The members page is written with <code>@Res()</code> and still
  commits its sessions before the response goes out.</dd>
  <dt><a href="/plain">No session</a></dt>
  <dd>A page that asks for no namespace: no cookie is parsed, nothing is decoded, and the
  response has neither <code>Set-Cookie</code> nor <code>Vary: Cookie</code>.</dd>
</dl>
<p>Every page but the last reads <code>ui</code> for the theme, so the panel below lists it as
loaded; the other namespaces load only on their own pages.</p>`,
    });
  }

  @Get('plain')
  @Header('Content-Type', 'text/html; charset=utf-8')
  plain(): Promise<string> {
    return renderPage({
      title: 'No session',
      body: `
<p>This handler asks for no namespace, so <code>req.sessionMulti</code> stays an empty container:
no cookie is parsed, nothing is verified or decoded, and the response carries no
<code>Set-Cookie</code> and no <code>Vary: Cookie</code> (a shared cache may store it).</p>
<p>That is also why this page is always light: the theme lives in the <code>ui</code> namespace,
which this page does not load.</p>`,
    });
  }
}
