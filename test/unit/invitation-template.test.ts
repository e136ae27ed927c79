import { draftInvitation, DRAFT_MAX, InvitationFacts } from '../../src/domain/brokering/invitation-template';
import { Language } from '../../src/domain/language';

const LANGUAGES = Object.values(Language);

const facts = (reasons: string[]): InvitationFacts => ({
  partnerName: 'Leuven sensors',
  schoolName: 'Leuven college',
  challengeTitle: 'Clean air',
  reasons,
  hubName: 'Leuven hub',
});

describe('invitation drafts', () => {
  it.each(LANGUAGES)('in %s, lists the reasons, and leaves no "because" hanging without any', (lang) => {
    const withReasons = draftInvitation(facts(['Works on SDG 13', 'Knows sensors']), lang);
    expect(withReasons).toContain('- Works on SDG 13\n- Knows sensors');
    const without = draftInvitation(facts([]), lang);
    expect(without).not.toMatch(/(because|omdat|car) ?:\s*\n\s*\n/);
    expect(without).toContain('Leuven college');
    expect(without).toContain('Clean air');
  });

  it.each(LANGUAGES)('in %s, drops the last reasons first to fit the message limit', (lang) => {
    const long = Array.from({ length: 40 }, (_, i) => `Reason ${i} ${'x'.repeat(80)}`);
    const draft = draftInvitation(facts(long), lang);
    expect(draft.length).toBeLessThanOrEqual(DRAFT_MAX);
    expect(draft).toContain('Reason 0 ');
    expect(draft).not.toContain('Reason 39 ');
  });
});
