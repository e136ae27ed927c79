/**
 * What the match index (match-index.ts) is written from: a stakeholder and a challenge as read
 * from PostgreSQL (load-index.ts), a challenge with what its ranking needs prepared once.
 */
import { PupilContact, StakeholderKind } from '../../domain/enums';
import { ExpertiseLink } from '../expertise-fit';
import { CheckPolicy } from '../safeguarding';
import { TrackRecord } from '../track';
import type { LinkTable } from './prepared-challenge';
import type { KnownTotals } from './known-totals';

/** One stakeholder as read from PostgreSQL. */
export interface StakeholderFacts {
  id: string;
  kind: string;
  latitude: number | null;
  longitude: number | null;
  /** Its SDGs as bits (sdgMaskOf; computed by PostgreSQL at a load: no array per row). */
  sdgMask: number;
  expertiseIds: number[];
  languages: string[];
  /** Its education levels as bits (levelMaskOf). */
  levelMask: number;
  capacity: number;
  /** Its underserved contexts in order (inclusion.ts's `contextsCode`; a family's never: 0). */
  contexts: number;
  /** Accepted partnerships plus open invitations (availability.ts). */
  accepted: number;
  regionCode: string | null;
  countryCode: string | null;
  erased: boolean;
  /** The reach it chose (null: its kind's default). */
  serviceArea: string | null;
  /** Its track record (track.ts); absent: a newcomer's. */
  record?: TrackRecord;
  /** Issued day of its latest verified check of each type (safeguarding.ts; 0: none); absent: none. */
  checks?: readonly number[];
}

/** One challenge, with what its ranking needs prepared once. */
export interface ChallengeFacts {
  id: string;
  schoolId: string;
  hubId: string | null;
  sdgIds: number[];
  sdgMask: number;
  neededIds: number[];
  wantedKinds: StakeholderKind[];
  wantedMask: number;
  latitude: number | null;
  longitude: number | null;
  radiusKm: number;
  regionCode: string | null;
  /** Its country: its region's, else its school's. */
  countryCode: string | null;
  open: boolean;
  /** Every tag that earns credit for a needed tag (expertise_links). */
  links: ExpertiseLink[];
  /** By tag id: the links it earns, as [need position, credit] pairs. */
  linksByTag: (number[] | undefined)[];
  /** Stakeholders already PROPOSED, INVITED or ACCEPTED on it. */
  active: Set<string>;
  /** Stakeholders its coordinators ruled out. */
  dismissed: Set<string>;
  /** How its partners meet pupils, until when it runs (YYYY-MM-DD), and its hub's check policy. */
  pupilContact: PupilContact;
  plannedEndOn: string | null;
  checkPolicy: CheckPolicy;
  /** Its school's row, once known (rows move only when a load renumbers them, which forgets it). */
  schoolRow?: number;
  /** Its links by tag in flat arrays, made once (prepared-challenge.ts). */
  linkTable?: LinkTable;
  /** Its rankings' counts at one version of the index (known-totals.ts). */
  totals?: KnownTotals;
}
