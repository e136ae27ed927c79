import { asyncQueue } from '../../src/subscriptions/async-queue';
import { isNewAt } from '../../src/subscriptions/match-events';
import { PartnerFacts, passesPartnerFilter } from '../../src/subscriptions/partner-filter';
import { parseMessage } from '../../src/subscriptions/topics';

describe('isNewAt: a match is new for a subscriber when it crossed their minScore', () => {
  it.each([
    [0.6, null, 0.5, true],
    [0.6, 0.4, 0.5, true],
    [0.7, 0.6, 0.5, false],
    [0.45, null, 0.5, false],
    [0.5, 0.49, 0.5, true],
    [0.9, 0.6, 0.8, true],
  ])('score %p after %p at minScore %p → %p', (score, previousScore, min, expected) => {
    expect(isNewAt({ score, previousScore }, min)).toBe(expected);
  });
});

describe('passesPartnerFilter', () => {
  const leuvenUni: PartnerFacts = {
    kind: 'UNIVERSITY',
    regionPath: ['BE-VBR', 'BE-VLG', 'BE'],
    sdgIds: [6, 13],
    expertiseSlugs: ['hydrology'],
    latitude: 50.88,
    longitude: 4.7,
  };
  it.each([
    ['no filter', {}, true],
    ['wanted kind', { kinds: ['UNIVERSITY', 'MEDIA'] }, true],
    ['other kind', { kinds: ['MEDIA'] }, false],
    ['inside a larger region', { regionCode: 'BE-VLG' }, true],
    ['other region', { regionCode: 'NL' }, false],
    ['shared SDG', { sdgs: [13, 4] }, true],
    ['no shared SDG', { sdgs: [4] }, false],
    ['shared expertise', { expertiseSlugs: ['hydrology'] }, true],
    ['other expertise', { expertiseSlugs: ['journalism'] }, false],
    ['within the circle', { near: { latitude: 50.85, longitude: 4.35, radiusKm: 30 } }, true],
    ['outside the circle', { near: { latitude: 52.37, longitude: 4.9, radiusKm: 100 } }, false],
    [
      'all at once',
      {
        kinds: ['UNIVERSITY'],
        regionCode: 'BE',
        sdgs: [6],
        expertiseSlugs: ['hydrology'],
        near: { latitude: 50.88, longitude: 4.7, radiusKm: 1 },
      },
      true,
    ],
  ])('%s', (_n, filter, expected) => {
    expect(passesPartnerFilter(filter, leuvenUni)).toBe(expected);
  });

  it('a partner without a location never passes a distance filter', () => {
    expect(
      passesPartnerFilter(
        { near: { latitude: 0, longitude: 0, radiusKm: 20000 } },
        { ...leuvenUni, latitude: null, longitude: null },
      ),
    ).toBe(false);
  });
});

describe('parseMessage', () => {
  it.each([
    ['{"kind":"outbox"}', { kind: 'outbox' }],
    ['{"kind":"outbox","extra":"dropped"}', { kind: 'outbox' }],
    ['{"kind":"outbox","from":"feed-1"}', { kind: 'outbox', from: 'feed-1' }],
    ['{"kind":"outbox","from":7}', { kind: 'outbox' }],
    // Revocations travel in the outbox, not on the bus: a bus message claiming one is ignored.
    ['{"kind":"key-revoked","keyId":"k"}', undefined],
    ['{"kind":"matches","from":1,"to":3}', undefined],
    ['not json', undefined],
    ['{"kind":"other"}', undefined],
  ])('%s', (raw, expected) => {
    expect(parseMessage(raw)).toEqual(expected);
  });
});

describe('asyncQueue', () => {
  it('hands over pushed values in order, buffered or awaited', async () => {
    const q = asyncQueue<number>(() => undefined);
    q.push(1);
    const first = q.next();
    const second = q.next(); // waits: nothing buffered yet
    q.push(2);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await second).toEqual({ value: 2, done: false });
  });

  it('runs onClose once when the consumer stops, and ignores later pushes', async () => {
    const onClose = jest.fn();
    const q = asyncQueue<number>(onClose);
    const pending = q.next();
    await q.return!();
    await q.return!();
    q.push(3);
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await q.next()).toEqual({ value: undefined, done: true });
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
