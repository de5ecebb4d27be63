import { mergeSessionData } from '../../../src/factories/three-way-merge';

describe('mergeSessionData (onConflict: merge)', () => {
  it('applies the keys only this request changed on top of what the store holds now', () => {
    const base = { user: 'ada', n: 1 };
    const mine = { user: 'ada', n: 1, cart: ['tea'] };
    const theirs = { user: 'ada', n: 2 };
    expect(mergeSessionData(base, mine, theirs)).toEqual({
      ok: true,
      data: { user: 'ada', n: 2, cart: ['tea'] },
    });
  });

  it('removes a key this request removed and the other request left alone', () => {
    expect(mergeSessionData({ a: 1, b: 1 }, { b: 1 }, { a: 1, b: 2 })).toEqual({
      ok: true,
      data: { b: 2 },
    });
  });

  it('refuses a key both requests changed to different values', () => {
    expect(mergeSessionData({ n: 0 }, { n: 1 }, { n: 5 })).toEqual({ ok: false, keys: ['n'] });
  });

  it('refuses a key both requests changed to the same value: two increments are two changes', () => {
    expect(mergeSessionData({ n: 0 }, { n: 1 }, { n: 1 })).toEqual({ ok: false, keys: ['n'] });
  });

  it('refuses a key one request removed and the other changed', () => {
    expect(mergeSessionData({ n: 0 }, {}, { n: 1 })).toEqual({ ok: false, keys: ['n'] });
  });

  it('accepts a key both requests removed (a flash queue popped twice loses nothing)', () => {
    expect(mergeSessionData({ _f_: ['hi'], u: 1 }, { u: 1 }, { u: 1 })).toEqual({
      ok: true,
      data: { u: 1 },
    });
  });
});
