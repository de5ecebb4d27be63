import {
  Body,
  Controller,
  Get,
  Header,
  Post,
  Redirect,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { CsrfGuard, Session, Sessions, type SessionContainer } from '../../src/index';
import { CATALOG, isCatalogItem } from './cart.catalog';
import { CsrfForbiddenFilter } from './csrf-forbidden.filter';
import { escapeHtml, hidden } from './views/html';
import { renderPage } from './views/layout';

/** What the `cart` namespace holds: item id → quantity. */
export interface CartData {
  items: Record<string, number>;
}

/** A cart in its own namespace, changed only through CSRF-protected posts. */
@Controller('cart')
@UseFilters(CsrfForbiddenFilter)
export class CartController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@Sessions() sessions: SessionContainer): Promise<string> {
    const cart = (await sessions.get<CartData>('cart'))!;
    // Created (and stored in the cart cookie) on the first visit, then reused.
    const token = cart.getCsrfToken();
    const items = cart.get('items') ?? {};
    const lines = Object.entries(items).map(
      ([id, qty]) => `<li>${escapeHtml(CATALOG[id] ?? id)} × ${qty}
<form class="inline" method="post" action="/cart/remove">${hidden('_csrf', token)}${hidden('item', id)}<button>remove one</button></form></li>`,
    );
    const shop = Object.entries(CATALOG).map(
      ([id, label]) => `<li>${escapeHtml(label)}
<form class="inline" method="post" action="/cart/add">${hidden('_csrf', token)}${hidden('item', id)}<button>add</button></form></li>`,
    );
    return renderPage({
      title: 'Cart',
      sessions,
      body: `
<h2>Your cart</h2>
${lines.length > 0 ? `<ul>${lines.join('\n')}</ul>` : '<p class="muted">Empty.</p>'}
<form method="post" action="/cart/empty">${hidden('_csrf', token)}<button>Empty the cart</button></form>
<h2>Shop</h2>
<ul>${shop.join('\n')}</ul>
<h2>Without the token</h2>
<form method="post" action="/cart/add">${hidden('item', 'tea')}<button>Add tea without a CSRF token</button></form>
<p>Every form above carries the cart's CSRF token in a hidden <code>_csrf</code> field, and the
post handlers are guarded by <code>CsrfGuard('cart')</code>. The last form leaves the token out,
as a forged cross-site post would, and gets <strong>403</strong>.</p>
<p>The cart has its own cookie, secret and lifetime (a week): switching the theme never touches
it, and a <code>ui</code> cookie pasted into the <code>cart</code> cookie is rejected, because the
namespace is part of the signature. "Empty the cart" calls <code>cart.invalidate()</code>, which
deletes the cookie.</p>`,
    });
  }

  @Post('add')
  @UseGuards(CsrfGuard('cart'))
  @Redirect('/cart', 303)
  add(
    @Session('cart') cart: Session<CartData>,
    @Session('ui') ui: Session,
    @Body('item') item: unknown,
  ): void {
    if (!isCatalogItem(item)) {
      ui.flash('That item is not in the catalogue.', { queue: 'error' });
      return;
    }
    const items = { ...(cart.get('items') ?? {}) };
    items[item] = (items[item] ?? 0) + 1;
    cart.set('items', items);
    ui.flash(`Added ${CATALOG[item]} to the cart.`);
  }

  @Post('remove')
  @UseGuards(CsrfGuard('cart'))
  @Redirect('/cart', 303)
  remove(@Session('cart') cart: Session<CartData>, @Body('item') item: unknown): void {
    const items = { ...(cart.get('items') ?? {}) };
    const quantity = isCatalogItem(item) ? items[item] : undefined;
    if (quantity === undefined) {
      return;
    }
    if (quantity > 1) {
      items[item as string] = quantity - 1;
    } else {
      delete items[item as string];
    }
    cart.set('items', items);
  }

  @Post('empty')
  @UseGuards(CsrfGuard('cart'))
  @Redirect('/cart', 303)
  async empty(@Session('cart') cart: Session<CartData>, @Session('ui') ui: Session): Promise<void> {
    await cart.invalidate();
    ui.flash('The cart is empty: its session was invalidated and its cookie deleted.');
  }
}
