import { Body, Controller, Get, Header, Post, Redirect } from '@nestjs/common';
import { Session, Sessions, type SessionContainer } from '../../src/index';
import { escapeHtml } from './views/html';
import { renderPage, THEMES, type Theme } from './views/layout';

/** What the `ui` namespace holds. */
export interface UiData {
  theme: Theme;
}

/** Theme preference and flash messages: the `ui` namespace. */
@Controller('theme')
export class ThemeController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@Sessions() sessions: SessionContainer): Promise<string> {
    const ui = await sessions.get<UiData>('ui');
    const current = ui?.get('theme') ?? 'light';
    const buttons = THEMES.map(
      (t) => `<button name="theme" value="${t}"${t === current ? ' disabled' : ''}>${t}</button>`,
    ).join(' ');
    return renderPage({
      title: 'Theme',
      sessions,
      body: `
<p>Current theme: <strong>${escapeHtml(current)}</strong>.</p>
<form method="post" action="/theme">${buttons}</form>
<p>The button posts to <code>/theme</code>. The handler stores the choice in the <code>ui</code>
session, queues a flash message and answers <code>303 See Other</code> to this page (post,
redirect, get). This page then pops the message, so it shows once: reload and it is gone.</p>
<p>Only the <code>ui</code> cookie is set by the post: the cart is another namespace, with
another cookie and secret, and the handler never asked for it.</p>
<p class="muted">A theme switch is harmless if forged, so this form has no CSRF token; the cart's
forms do.</p>`,
    });
  }

  @Post()
  @Redirect('/theme', 303)
  choose(@Session('ui') ui: Session<UiData>, @Body('theme') theme: unknown): void {
    if (theme === 'light' || theme === 'dark') {
      ui.set('theme', theme);
      ui.flash(`Theme set to ${theme}.`);
    } else {
      ui.flash('Unknown theme: pick light or dark.', { queue: 'error', allowDuplicate: false });
    }
  }
}
