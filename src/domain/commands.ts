/**
 * The commands domain services take: plain data, with no GraphQL in them. The GraphQL input
 * classes (src/graphql/inputs) implement these, so a resolver hands its input straight over,
 * while importers, seeds and tests build the same shapes by hand.
 */
import { ChallengePhase, PupilContact, ServiceArea, StakeholderKind, UnderservedContext } from './enums';

export interface CreateStakeholderCommand {
  kind: StakeholderKind;
  name: string;
  description?: string | null;
  regionCode?: string | null;
  location?: GeoPointCommand | null;
  city?: string | null;
  countryCode?: string | null;
  sdgs: number[];
  expertise: string[];
  languages?: string[] | null;
  educationLevels?: number[] | null;
  capacity?: number | null;
  serviceArea?: ServiceArea | null;
  underservedContexts?: UnderservedContext[] | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  website?: string | null;
  consentGiven?: boolean | null;
  hubIds?: string[] | null;
  /** Create it even when it looks like a stored stakeholder (see stakeholder/duplicates.ts). */
  allowDuplicate?: boolean | null;
}

export interface UpdateStakeholderCommand {
  name?: string | null;
  description?: string | null;
  regionCode?: string | null;
  location?: GeoPointCommand | null;
  city?: string | null;
  countryCode?: string | null;
  sdgs?: number[] | null;
  expertise?: string[] | null;
  languages?: string[] | null;
  educationLevels?: number[] | null;
  capacity?: number | null;
  serviceArea?: ServiceArea | null;
  underservedContexts?: UnderservedContext[] | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  website?: string | null;
}

export interface StakeholderQuery {
  kinds?: StakeholderKind[] | null;
  regionCode?: string | null;
  sdgs?: number[] | null;
  expertise?: string[] | null;
  hubId?: string | null;
  search?: string | null;
  near?: NearCommand | null;
}

export interface CreateChallengeCommand {
  schoolId: string;
  title: string;
  description?: string | null;
  sdgs: number[];
  expertiseNeeded: string[];
  wantedKinds?: StakeholderKind[] | null;
  radiusKm?: number | null;
  hubId?: string | null;
  missionId?: string | null;
  phase?: ChallengePhase | null;
  location?: GeoPointCommand | null;
  regionCode?: string | null;
  pupilContact?: PupilContact | null;
  plannedEndOn?: string | null;
}

export interface UpdateChallengeCommand {
  title?: string | null;
  description?: string | null;
  sdgs?: number[] | null;
  expertiseNeeded?: string[] | null;
  wantedKinds?: StakeholderKind[] | null;
  radiusKm?: number | null;
  hubId?: string | null;
  missionId?: string | null;
  phase?: ChallengePhase | null;
  location?: GeoPointCommand | null;
  regionCode?: string | null;
  pupilContact?: PupilContact | null;
  /** YYYY-MM-DD; null clears it. */
  plannedEndOn?: string | null;
}

export interface ChallengeQuery {
  schoolId?: string | null;
  hubId?: string | null;
  missionId?: string | null;
  phases?: ChallengePhase[] | null;
  sdgs?: number[] | null;
  regionCode?: string | null;
}

export interface CoordinatorCommand {
  name: string;
  email?: string | null;
}

export interface CreateHubCommand {
  name: string;
  description?: string | null;
  regionCode?: string | null;
  memberIds?: string[] | null;
  coordinators?: CoordinatorCommand[] | null;
}

export interface CreateMissionCommand {
  title: string;
  description?: string | null;
  sdgs: number[];
}

export interface UpdateHubCommand {
  name?: string | null;
  description?: string | null;
  regionCode?: string | null;
  requiresApproval?: boolean | null;
}

export interface GeoPointCommand {
  latitude: number;
  longitude: number;
}

export interface NearCommand {
  latitude: number;
  longitude: number;
  radiusKm: number;
}
