import { until } from '../helpers/until';

describe('until', () => {
  it('resolves as soon as its condition holds', async () => {
    let asked = 0;
    await until(() => ++asked === 3);
    expect(asked).toBe(3);
  });

  it('times out naming its condition: in words, or by its own source', async () => {
    const never = { open: false };
    await expect(until(() => never.open, { timeoutMs: 50, what: 'the door opens' })).rejects.toThrow(
      'waited 50 ms until the door opens, in vain',
    );
    await expect(until(() => never.open, 50)).rejects.toThrow('waited 50 ms until never.open, in vain');
    await expect(until(() => never.open, { timeoutMs: 50, what: () => `open is ${never.open}` })).rejects.toThrow(
      'until open is false',
    );
  });
});
