/**
 * A first draft of an invitation's message, in the coordinator's language: who asks, for what,
 * and why this partner — the match's own reasons. The coordinator edits it before sending (it
 * goes out as `invitePartner`'s message, so it fits that message's 2,000 characters).
 */
import { Language } from '../language';

/** What a draft names. */
export interface InvitationFacts {
  partnerName: string;
  schoolName: string;
  challengeTitle: string;
  /** The match's reasons, in the draft's language. */
  reasons: string[];
  /** Who signs: the hub's name, or nothing. */
  hubName: string | null;
}

/** Longest draft: the message limit of `invitePartner`. */
export const DRAFT_MAX = 2000;

// `why` is the reasons as a list, or empty: then no "because" is left hanging.
const TEMPLATES: Record<Language, (f: InvitationFacts, why: string) => string> = {
  EN: (f, why) =>
    `Dear ${f.partnerName},\n\n` +
    `Pupils and teachers of ${f.schoolName} are working on a challenge: "${f.challengeTitle}". ` +
    (why ? `We think you could help them, because:\n${why}\n\n` : 'We think you could help them.\n\n') +
    'Would you be willing to join them? A first conversation of half an hour would be a good start.\n\n' +
    `Kind regards,\n${f.hubName ?? 'The hub coordinator'}`,
  NL: (f, why) =>
    `Beste ${f.partnerName},\n\n` +
    `Leerlingen en leraren van ${f.schoolName} werken aan een uitdaging: "${f.challengeTitle}". ` +
    (why ? `We denken dat u hen kunt helpen, omdat:\n${why}\n\n` : 'We denken dat u hen kunt helpen.\n\n') +
    'Wilt u met hen meedoen? Een eerste gesprek van een half uur zou een mooi begin zijn.\n\n' +
    `Met vriendelijke groet,\n${f.hubName ?? 'De hubcoördinator'}`,
  FR: (f, why) =>
    `Bonjour ${f.partnerName},\n\n` +
    `Les élèves et les enseignants de ${f.schoolName} travaillent sur un défi : « ${f.challengeTitle} ». ` +
    (why
      ? `Nous pensons que vous pourriez les aider, car :\n${why}\n\n`
      : 'Nous pensons que vous pourriez les aider.\n\n') +
    'Accepteriez-vous de les rejoindre ? Un premier échange d’une demi-heure serait un bon début.\n\n' +
    `Bien cordialement,\n${f.hubName ?? 'La coordination du hub'}`,
};

/** The draft, its reasons as a list, cut to {@link DRAFT_MAX} by dropping the last reasons first. */
export function draftInvitation(f: InvitationFacts, lang: Language): string {
  for (let kept = f.reasons.length; kept >= 0; kept--) {
    const draft = TEMPLATES[lang](
      f,
      f.reasons
        .slice(0, kept)
        .map((r) => `- ${r}`)
        .join('\n'),
    );
    if (draft.length <= DRAFT_MAX) return draft;
  }
  return TEMPLATES[lang](f, '').slice(0, DRAFT_MAX);
}
