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
  /** Introduced by a portal in a hub that approves introductions; waits for a coordinator. */
  PROPOSED = 'PROPOSED',
  INVITED = 'INVITED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  WITHDRAWN = 'WITHDRAWN',
  /** The project was done together (after ACCEPTED). */
  COMPLETED = 'COMPLETED',
  /** Nobody answered within the hub's invitationTtlDays: counts as no answer. */
  EXPIRED = 'EXPIRED',
}

/** How far a stakeholder's reach goes; see src/matching/reach.ts. */
export enum ServiceArea {
  LOCAL = 'LOCAL',
  REGIONAL = 'REGIONAL',
  NATIONAL = 'NATIONAL',
  INTERNATIONAL = 'INTERNATIONAL',
}

/** Why a coordinator ruled a suggested partner out for a challenge. */
export enum DismissReason {
  NOT_RELEVANT = 'NOT_RELEVANT',
  TOO_FAR = 'TOO_FAR',
  NO_CAPACITY = 'NO_CAPACITY',
  ALREADY_IN_CONTACT = 'ALREADY_IN_CONTACT',
  OTHER = 'OTHER',
}

/** How a challenge's partners meet pupils: what decides whether they need a safeguarding check. */
export enum PupilContact {
  /** No contact with pupils. */
  NONE = 'NONE',
  /** With a teacher present all the time. */
  SUPERVISED = 'SUPERVISED',
  /** Without a teacher present, now and then. */
  UNSUPERVISED = 'UNSUPERVISED',
  /** Regular work with pupils (weekly or more), without a teacher present. */
  REGULAR = 'REGULAR',
}

/** A safeguarding check for work with minors, by the country that issues it. */
export enum CheckType {
  /** The Netherlands: Verklaring Omtrent het Gedrag. */
  VOG = 'VOG',
  /** Belgium: extract from the criminal record for work with minors (model 2, article 596.2). */
  BE_CRIMINAL_RECORD_MODEL_2 = 'BE_CRIMINAL_RECORD_MODEL_2',
  /** The United Kingdom: enhanced DBS check. */
  UK_DBS_ENHANCED = 'UK_DBS_ENHANCED',
  /** Another country's check, named by its label. */
  OTHER = 'OTHER',
}

/** Whom a check covers. */
export enum CheckScope {
  /** The person who comes. */
  PERSON = 'PERSON',
  /** An organisation's attestation that everyone it sends holds one. */
  ORGANISATION = 'ORGANISATION',
}

/** Statuses that keep a stakeholder busy on a challenge (and out of its suggestions). */
export const ACTIVE_PARTNERSHIP_STATUSES: readonly PartnershipStatus[] = [
  PartnershipStatus.PROPOSED,
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
registerEnumType(ServiceArea, {
  name: 'ServiceArea',
  description: 'How far a stakeholder reaches: its municipality, its region, its country, or anywhere',
});
registerEnumType(DismissReason, { name: 'DismissReason', description: 'Why a suggested partner was ruled out' });
registerEnumType(PupilContact, {
  name: 'PupilContact',
  description: "How a challenge's partners meet pupils: none, supervised, unsupervised, or regularly unsupervised",
});
registerEnumType(CheckType, { name: 'CheckType', description: 'A safeguarding check for work with minors' });
registerEnumType(CheckScope, { name: 'CheckScope', description: 'Whom a safeguarding check covers' });
