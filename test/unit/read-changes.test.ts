/**
 * The changes an index read after their commit are a bounded set: each is taken once, and past the
 * bound the oldest is let go (read again when relayed, never skipped wrongly).
 */
import { READ_CHANGES_KEPT, ReadChanges } from '../../src/subscriptions/read-changes';

it('takes each change once', () => {
  const read = new ReadChanges([3, 5]);
  read.add(8);
  expect([read.take(5), read.take(5), read.take(4), read.take(3), read.take(8)]).toEqual([
    true,
    false,
    false,
    true,
    true,
  ]);
  expect(read.size).toBe(0);
});

it('holds at most its bound, letting the oldest go', () => {
  const read = new ReadChanges(Array.from({ length: READ_CHANGES_KEPT }, (_, k) => k + 1));
  expect(read.size).toBe(READ_CHANGES_KEPT);
  read.add(READ_CHANGES_KEPT + 1);
  read.add(READ_CHANGES_KEPT + 2);
  expect(read.size).toBe(READ_CHANGES_KEPT);
  expect([read.take(1), read.take(2), read.take(3)]).toEqual([false, false, true]);
  expect(read.take(READ_CHANGES_KEPT + 2)).toBe(true);
});
