import { OutboxChange, parseOutboxChange } from '../../src/domain/outbox';
import { indexChangeOf, joinedBy } from '../../src/subscriptions/outbox-relay';

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';

describe('outbox changes', () => {
  it.each<[string, OutboxChange, unknown, string[]]>([
    ['a new stakeholder', { kind: 'stakeholder', id: a, created: true }, { stakeholderId: a }, [a]],
    ['an edited or erased stakeholder', { kind: 'stakeholder', id: a, created: false }, { stakeholderId: a }, []],
    ['a new challenge', { kind: 'challenge', id: a, created: true }, { challengeId: a }, []],
    [
      'a partnership moved',
      { kind: 'partnership', challengeId: a, stakeholderId: b },
      { partnership: { challengeId: a, stakeholderId: b } },
      [],
    ],
    [
      'an import slice of stakeholders',
      { kind: 'stakeholders', created: [a], updated: [b] },
      { stakeholderIds: [a, b] },
      [a],
    ],
    ['an import slice of challenges', { kind: 'challenges', created: [a], updated: [b] }, { challengeIds: [a, b] }, []],
  ])('%s: read back as stored, re-read into the index, joined partners', (_name, change, index, joined) => {
    expect(parseOutboxChange(JSON.parse(JSON.stringify(change)))).toEqual(change);
    expect(indexChangeOf(change)).toEqual(index);
    expect(joinedBy(change)).toEqual(joined);
  });

  it.each([
    null,
    'stakeholder',
    {},
    { kind: 'stakeholder', id: a },
    { kind: 'stakeholder', id: 7, created: true },
    { kind: 'partnership', challengeId: a },
    { kind: 'stakeholders', created: [a] },
    { kind: 'stakeholders', created: [1], updated: [] },
    { kind: 'all' },
    { kind: 'unknown', id: a },
  ])('refuses %j (a change of another version or a damaged row is skipped, not guessed)', (value) => {
    expect(parseOutboxChange(value)).toBeUndefined();
  });
});
