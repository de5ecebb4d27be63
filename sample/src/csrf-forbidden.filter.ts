import {
  Catch,
  ForbiddenException,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { renderPage } from './views/layout';

/**
 * Turns CsrfGuard's 403 into a page that says what happened. The status stays 403, and the
 * session commit still runs before this response goes out (the library holds the headers).
 */
@Catch(ForbiddenException)
export class CsrfForbiddenFilter implements ExceptionFilter {
  async catch(_exception: ForbiddenException, host: ArgumentsHost): Promise<void> {
    const res = host.switchToHttp().getResponse<Response>();
    const page = await renderPage({
      title: '403: CSRF token missing or wrong',
      body: `
<p><code>CsrfGuard('cart')</code> compared the form's <code>_csrf</code> field (or an
<code>X-CSRF-Token</code> header) with the token stored in the <code>cart</code> session, in
constant time, and refused the request: the cart was not changed.</p>
<p>A page on another site can make your browser post this form, but it cannot read the token
from your cart page, so it cannot forge this field.</p>
<p><a href="/cart">Back to the cart</a></p>`,
    });
    res.status(403).type('html').send(page);
  }
}
