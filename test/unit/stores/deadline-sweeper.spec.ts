import { DeadlineSweeper } from '../../../src/stores/deadline-sweeper';

const never = () => new Promise<never>(() => undefined);
const later = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('DeadlineSweeper', () => {
  it('should pass a value through and forget the call', async () => {
    const sweeper = new DeadlineSweeper(10);
    await expect(sweeper.watch(later(5, 'v'), 1000, () => new Error('late'))).resolves.toBe('v');
    expect(sweeper.size).toBe(0);
  });

  it('should pass a rejection through unchanged', async () => {
    const sweeper = new DeadlineSweeper(10);
    const failure = new Error('WRONGTYPE');
    await expect(
      sweeper.watch(Promise.reject(failure), 1000, () => new Error('late')),
    ).rejects.toBe(failure);
    expect(sweeper.size).toBe(0);
  });

  it('should reject a call that never settles with the timeout error, after its deadline', async () => {
    const sweeper = new DeadlineSweeper(10);
    const start = Date.now();
    await expect(sweeper.watch(never(), 50, () => new Error('no reply'))).rejects.toThrow(
      'no reply',
    );
    expect(Date.now() - start).toBeGreaterThanOrEqual(50);
    expect(sweeper.size).toBe(0);
  });

  it('should reject only the calls past their deadline, and keep the others', async () => {
    const sweeper = new DeadlineSweeper(10);
    const slow = sweeper.watch(later(150, 'slow'), 1000, () => new Error('slow timed out'));
    const stuck = sweeper.watch(never(), 30, () => new Error('stuck timed out'));
    await expect(stuck).rejects.toThrow('stuck timed out');
    expect(sweeper.size).toBe(1);
    await expect(slow).resolves.toBe('slow');
  });

  it('should ignore a reply that arrives after the deadline rejected the call', async () => {
    const sweeper = new DeadlineSweeper(10);
    const call = sweeper.watch(later(80, 'too late'), 20, () => new Error('timed out'));
    await expect(call).rejects.toThrow('timed out');
    await later(100, undefined);
    await expect(call).rejects.toThrow('timed out');
  });
});
