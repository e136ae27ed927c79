import { StakeholderKind } from '../../src/domain/enums';
import { Language } from '../../src/domain/language';
import { Stakeholder } from '../../src/domain/stakeholder/stakeholder.entity';
import { languageFor, mayMail } from '../../src/notify/invitation-mail';

const someone = (over: Partial<Stakeholder>): Stakeholder =>
  Object.assign(new Stakeholder(), {
    kind: StakeholderKind.UNIVERSITY,
    contactEmail: 'x@example.org',
    consentGivenAt: null,
    erasedAt: null,
    ...over,
  });

describe('who the service writes to', () => {
  it.each([
    ['an organisation with an address', {}, true],
    ['an organisation without one', { contactEmail: null }, false],
    ['an erased stakeholder', { erasedAt: new Date() }, false],
    ['a family that consented', { kind: StakeholderKind.FAMILY, consentGivenAt: new Date() }, true],
    ['a family that did not', { kind: StakeholderKind.FAMILY, consentGivenAt: null }, false],
    ['a school', { kind: StakeholderKind.SCHOOL }, true],
  ] as const)('%s: %s', (_what, over, expected) => {
    expect(mayMail(someone(over))).toBe(expected);
  });

  it.each([
    [['nl', 'en'], Language.NL],
    [['de', 'fr'], Language.FR],
    [['en-GB'], Language.EN],
    [['de'], Language.EN],
    [[], Language.EN],
  ])('writes to %j in %s', (languages, lang) => {
    expect(languageFor(languages)).toBe(lang);
  });
});
