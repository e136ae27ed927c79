import { registerEnumType } from 'type-graphql';

/** What sort of actor a stakeholder is in the open-schooling graph. */
export enum StakeholderKind {
  SCHOOL = 'SCHOOL',
  FAMILY = 'FAMILY',
  UNIVERSITY = 'UNIVERSITY',
  RESEARCH_INSTITUTE = 'RESEARCH_INSTITUTE',
  INDUSTRY = 'INDUSTRY',
  ENTREPRENEUR = 'ENTREPRENEUR',
  MEDIA = 'MEDIA',
  GOVERNMENT = 'GOVERNMENT',
  CIVIL_SOCIETY = 'CIVIL_SOCIETY',
  CULTURAL_INSTITUTION = 'CULTURAL_INSTITUTION',
}

/** Obstacles that keep a community out of science and innovation. */
export enum UnderservedContext {
  GEOGRAPHIC_ISOLATION = 'GEOGRAPHIC_ISOLATION',
  SOCIO_ECONOMIC = 'SOCIO_ECONOMIC',
  ETHNIC_MINORITY = 'ETHNIC_MINORITY',
}

/** Where a challenge stands on its way from idea to completed project. */
export enum ChallengePhase {
  IDEA = 'IDEA',
  STARTUP = 'STARTUP',
  DESIGN = 'DESIGN',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
}

/** The state of an invitation between a challenge and a partner. */
export enum PartnershipStatus {
  INVITED = 'INVITED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  WITHDRAWN = 'WITHDRAWN',
}

/** Statuses that keep a stakeholder busy on a challenge (and out of its suggestions). */
export const ACTIVE_PARTNERSHIP_STATUSES: readonly PartnershipStatus[] = [
  PartnershipStatus.INVITED,
  PartnershipStatus.ACCEPTED,
];

registerEnumType(StakeholderKind, { name: 'StakeholderKind', description: 'What sort of actor a stakeholder is' });
registerEnumType(UnderservedContext, {
  name: 'UnderservedContext',
  description: 'Obstacles that keep a community out of science and innovation',
});
registerEnumType(ChallengePhase, { name: 'ChallengePhase', description: 'Stage of a challenge' });
registerEnumType(PartnershipStatus, { name: 'PartnershipStatus', description: 'State of an invitation' });
