import { detailPage, listPage } from '../../../src/debug/debug-page';
import type { RequestRecord } from '../../../src/debug/debug-record';
import { escapeHtml } from '../../../src/debug/html-escape';

const HOSTILE = '<script>alert(1)</script>"\'&';

function hostileRecord(): RequestRecord {
  return {
    id: 7,
    method: 'GET',
    path: `/x${HOSTILE}`,
    status: 200,
    time: 't',
    durationMs: 1,
    namespaces: [
      {
        namespace: `ns${HOSTILE}`,
        factory: 'F',
        store: 'cookie',
        cookieName: 'c',
        carrier: `cookie "c${HOSTILE}"`,
        hasDiscriminator: false,
        mount: 'mounted',
        touched: true,
        cookiePresent: true,
        invalidReason: HOSTILE,
        idIn: null,
        idOut: null,
        before: { [HOSTILE]: HOSTILE },
        after: { [HOSTILE]: 1 },
        added: [],
        removed: [],
        changed: [HOSTILE],
        commit: ['wrote'],
        note: HOSTILE,
      },
    ],
  };
}

describe('escapeHtml', () => {
  it('should escape the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});

describe('listPage and detailPage', () => {
  describe('when every recorded value is hostile markup', () => {
    it('should contain no raw markup from the record and no script or inline style', () => {
      for (const html of [listPage('/_d', [hostileRecord()]), detailPage('/_d', hostileRecord())]) {
        expect(html).not.toContain('<script');
        expect(html).not.toContain(HOSTILE);
        expect(html).not.toContain('style=');
        expect(html).not.toContain('<style');
      }
    });

    it('should mark the changed key', () => {
      expect(detailPage('/_d', hostileRecord())).toContain('<tr class="changed"');
    });
  });
});
