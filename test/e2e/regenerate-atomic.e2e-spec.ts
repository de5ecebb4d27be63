import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ServerSessionFactory } from '../../src/factories/server-session.factory';
import { CookieJar, setCookies } from '../support/cookie-jar';
import { createTestApp, SECRET_A } from '../support/create-test-app';
import { FailingSetStore } from '../support/race-controller';
import { ServerSessionController } from './server-session-fixtures';

describe('ServerSessionFactory regenerate() when the new record cannot be written', () => {
  const first = new FailingSetStore();
  const second = new FailingSetStore();
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      sessions: [
        {
          namespace: 'one',
          factory: new ServerSessionFactory({ store: first, secret: SECRET_A, cookieName: 'one' }),
        },
        {
          namespace: 'two',
          factory: new ServerSessionFactory({ store: second, secret: SECRET_A, cookieName: 'two' }),
        },
      ],
      controllers: [ServerSessionController],
    });
  }, 60_000);

  afterAll(() => app.close());

  afterEach(() => {
    first.failSets = false;
    second.failSets = false;
  });

  const http = () => request(app.getHttpServer());

  async function seed(ns: string, data: Record<string, unknown>): Promise<string> {
    const res = await http().post(`/s/${ns}`).send(data).expect(200);
    return new CookieJar().store(res).header();
  }

  async function read(ns: string, cookie: string): Promise<unknown> {
    return (await http().get(`/s/${ns}`).set('Cookie', cookie).expect(200)).body;
  }

  describe('when session.regenerate() fails to write the new record', () => {
    it('should answer 503 without a cookie, and the old cookie should still read the data', async () => {
      const cookie = await seed('one', { user: 'ada' });
      const records = await first.length();
      first.failSets = true;
      const res = await http().post('/s/one/regenerate').set('Cookie', cookie);
      first.failSets = false;
      console.log(
        `regenerate-atomic regenerate(): status=${res.status} cookies=${setCookies(res).length} records ${records} -> ${await first.length()}`,
      );
      expect(res.status).toBe(503);
      expect(setCookies(res)).toEqual([]);
      expect(await first.length()).toBe(records);
      expect(await read('one', cookie)).toEqual({ isNew: false, data: { user: 'ada' } });
    });
  });

  describe("when regenerateAll() fails on the second namespace's store", () => {
    it('should answer 503 without a cookie, and both old cookies should still read their data', async () => {
      const one = await seed('one', { user: 'ada' });
      const two = await seed('two', { cart: [1, 2] });
      const before = [await first.length(), await second.length()];
      second.failSets = true;
      const res = await http().post('/login').set('Cookie', `${one}; ${two}`);
      second.failSets = false;
      const after = [await first.length(), await second.length()];
      console.log(
        `regenerate-atomic regenerateAll(): status=${res.status} cookies=${setCookies(res).length} records ${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
      );
      expect(res.status).toBe(503);
      expect(setCookies(res)).toEqual([]);
      // The first namespace's new record was removed again: no session nobody can name.
      expect(after).toEqual(before);
      expect(await read('one', one)).toEqual({ isNew: false, data: { user: 'ada' } });
      expect(await read('two', two)).toEqual({ isNew: false, data: { cart: [1, 2] } });
    });
  });
});
