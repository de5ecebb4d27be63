import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FILE_MODE,
  readEnvelope,
  unlinkIfSame,
  writeTemp,
} from '../../../src/stores/file-envelope';

let directory: string;

beforeAll(async () => {
  directory = await fs.mkdtemp(join(tmpdir(), 'file-envelope-'));
});

afterAll(async () => {
  await fs.rm(directory, { recursive: true, force: true });
});

describe('readEnvelope', () => {
  describe('when the file does not exist', () => {
    it('should resolve undefined', async () => {
      await expect(readEnvelope(join(directory, 'absent'))).resolves.toBeUndefined();
    });
  });

  describe('when the file is not a well-formed envelope', () => {
    it.each([
      ['not JSON', '{"expires":'],
      ['a value that is not text', '{"expires":null,"value":1}'],
      ['an infinite expiry', '{"expires":1e999,"value":"v"}'],
    ])('should read it with no envelope (%s)', async (_case, text) => {
      const path = join(directory, 'corrupt');
      await fs.writeFile(path, text, 'utf8');
      const read = await readEnvelope(path);
      expect(read?.envelope).toBeUndefined();
      expect(read?.ino).toBe((await fs.stat(path)).ino);
    });
  });

  describe('when writeTemp wrote the envelope', () => {
    it('should read back the same envelope, lone surrogates included, from a private file', async () => {
      const envelope = { expires: 1_900_000_000_000, value: 'caf\u00e9 \ud800 \u{1F600}' };
      const temp = await writeTemp(directory, 'entry', envelope);
      expect((await fs.stat(temp)).mode & 0o777).toBe(FILE_MODE);
      expect((await readEnvelope(temp))?.envelope).toEqual(envelope);
      await fs.unlink(temp);
    });
  });
});

describe('unlinkIfSame', () => {
  describe('when another file was renamed over the one that was read', () => {
    it('should leave the new file in place', async () => {
      const path = join(directory, 'swapped');
      await fs.writeFile(path, 'old', 'utf8');
      const read = await readEnvelope(path);
      const fresh = await writeTemp(directory, 'swapped', { expires: null, value: 'new' });
      await fs.rename(fresh, path);
      await expect(unlinkIfSame(path, read!)).resolves.toBe(false);
      expect((await readEnvelope(path))?.envelope).toEqual({ expires: null, value: 'new' });
    });
  });
});
