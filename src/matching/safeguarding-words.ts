/**
 * What the safeguarding rule says of a pair, in the user's language: that a partner needs a check
 * before working with pupils, or until when the check it holds counts.
 */
import { CheckType } from '../domain/enums';
import { Language } from '../domain/language';
import { CheckStanding } from './safeguarding';

/** A check's name in a sentence; `null`: any of several types ("a safeguarding check"). */
type Names = Record<CheckType | 'ANY', { a: string; the: string }>;

const NAMES: Record<Language, Names> = {
  [Language.EN]: {
    VOG: { a: 'a VOG (Dutch certificate of conduct)', the: 'VOG' },
    BE_CRIMINAL_RECORD_MODEL_2: { a: 'a criminal record extract (model 2)', the: 'Criminal record extract' },
    UK_DBS_ENHANCED: { a: 'an enhanced DBS check', the: 'Enhanced DBS check' },
    OTHER: { a: 'a safeguarding check', the: 'Safeguarding check' },
    ANY: { a: 'a safeguarding check', the: 'Safeguarding check' },
  },
  [Language.NL]: {
    VOG: { a: 'een VOG', the: 'VOG' },
    BE_CRIMINAL_RECORD_MODEL_2: {
      a: 'een uittreksel uit het strafregister (model 2)',
      the: 'Uittreksel strafregister',
    },
    UK_DBS_ENHANCED: { a: 'een enhanced DBS-check', the: 'Enhanced DBS-check' },
    OTHER: { a: 'een verklaring voor werk met minderjarigen', the: 'Verklaring' },
    ANY: { a: 'een verklaring voor werk met minderjarigen', the: 'Verklaring' },
  },
  [Language.FR]: {
    VOG: { a: 'un certificat VOG (Pays-Bas)', the: 'Certificat VOG' },
    BE_CRIMINAL_RECORD_MODEL_2: {
      a: 'un extrait de casier judiciaire (modèle 2)',
      the: 'Extrait de casier judiciaire',
    },
    UK_DBS_ENHANCED: { a: 'un contrôle DBS renforcé', the: 'Contrôle DBS renforcé' },
    OTHER: { a: 'une attestation pour le travail avec des mineurs', the: 'Attestation' },
    ANY: { a: 'une attestation pour le travail avec des mineurs', the: 'Attestation' },
  },
};

const SENTENCES: Record<Language, { needs: (a: string) => string; valid: (the: string, month: string) => string }> = {
  [Language.EN]: {
    needs: (a) => `Needs ${a} before working with pupils`,
    valid: (the, month) => `${the} verified, valid until ${month}`,
  },
  [Language.NL]: {
    needs: (a) => `Heeft ${a} nodig voor het werk met leerlingen`,
    valid: (the, month) => `${the} geverifieerd, geldig tot ${month}`,
  },
  [Language.FR]: {
    needs: (a) => `Doit présenter ${a} avant de travailler avec des élèves`,
    valid: (the, month) => `${the} vérifié, valable jusqu'en ${month}`,
  },
};

/** The sentence for a pair's standing (null: the challenge asks no check). */
export function safeguardingSentence(standing: CheckStanding | null | undefined, lang: Language): string | null {
  if (!standing) return null;
  const name = NAMES[lang][standing.type ?? 'ANY'];
  const words = SENTENCES[lang];
  return standing.needsCheck ? words.needs(name.a) : words.valid(name.the, standing.validUntil!.slice(0, 7));
}
