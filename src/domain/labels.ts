/**
 * Labels people read, per language: the kinds of stakeholders and the underserved contexts.
 * Typed as complete tables, so a kind or context without a label in every language does not compile.
 */
import { StakeholderKind, UnderservedContext } from './enums';
import { Language } from './language';

type Labels = Record<Language, string>;

export const KIND_LABELS: Record<StakeholderKind, Labels> = {
  SCHOOL: { EN: 'School', NL: 'School', FR: 'École' },
  FAMILY: { EN: 'Family', NL: 'Gezin', FR: 'Famille' },
  UNIVERSITY: { EN: 'University', NL: 'Universiteit', FR: 'Université' },
  RESEARCH_INSTITUTE: { EN: 'Research institute', NL: 'Onderzoeksinstituut', FR: 'Institut de recherche' },
  INDUSTRY: { EN: 'Industry', NL: 'Bedrijfsleven', FR: 'Industrie' },
  ENTREPRENEUR: { EN: 'Entrepreneur', NL: 'Ondernemer', FR: 'Entrepreneur' },
  MEDIA: { EN: 'Media', NL: 'Media', FR: 'Médias' },
  GOVERNMENT: { EN: 'Local government', NL: 'Lokale overheid', FR: 'Pouvoirs locaux' },
  CIVIL_SOCIETY: { EN: 'Civil society', NL: 'Maatschappelijke organisatie', FR: 'Société civile' },
  CULTURAL_INSTITUTION: { EN: 'Cultural institution', NL: 'Culturele instelling', FR: 'Institution culturelle' },
};

export const CONTEXT_LABELS: Record<UnderservedContext, Labels> = {
  GEOGRAPHIC_ISOLATION: { EN: 'Geographic isolation', NL: 'Geografisch isolement', FR: 'Isolement géographique' },
  SOCIO_ECONOMIC: {
    EN: 'Socio-economic disadvantage',
    NL: 'Sociaaleconomische achterstand',
    FR: 'Précarité socio-économique',
  },
  ETHNIC_MINORITY: { EN: 'Ethnic minority', NL: 'Etnische minderheid', FR: 'Minorité ethnique' },
};
