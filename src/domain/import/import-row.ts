/**
 * One row of an import file, checked and normalised without touching the database: every
 * problem is reported with the row's line, the field and the rule, and good rows go on.
 */
import { ChallengePhase, PupilContact, ServiceArea, StakeholderKind, UnderservedContext } from '../enums';
import { badInput, DomainError } from '../errors';
import { geocodeCity } from '../geo/gazetteer';
import * as v from '../validate';
import { neutraliseFormula } from '../text';

/** A problem with one field of one row. */
export interface RowError {
  line: number;
  field: string;
  message: string;
}

/** A stakeholder row, ready for the database (region and expertise still by code and label). */
export interface StakeholderRow {
  line: number;
  externalId: string;
  kind: StakeholderKind;
  name: string;
  description: string | null;
  city: string | null;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
  regionCode: string | null;
  sdgIds: number[];
  expertise: string[];
  languages: string[];
  educationLevels: number[];
  capacity: number;
  /** Its chosen reach; null keeps its kind's default. */
  serviceArea: ServiceArea | null;
  underservedContexts: UnderservedContext[];
  contactEmail: string | null;
  contactPhone: string | null;
  website: string | null;
  /** Whether the family (or whoever registers it) agreed to be in the network; required for FAMILY. */
  consentGiven: boolean;
  /** Import it even when it looks like a stored stakeholder (the `allowDuplicate` column). */
  allowDuplicate: boolean;
}

/** A challenge row; its school is named by external id. */
export interface ChallengeRow {
  line: number;
  externalId: string;
  schoolExternalId: string;
  title: string;
  description: string | null;
  sdgIds: number[];
  expertiseNeeded: string[];
  wantedKinds: StakeholderKind[];
  radiusKm: number;
  phase: ChallengePhase;
  pupilContact: PupilContact;
  /** YYYY-MM-DD, or null. */
  plannedEndOn: string | null;
}

export type Record = { [column: string]: string | undefined };

// Each item of a list cell is a value of its own: neutralised on its own too.
const list = (value: string | undefined) =>
  (value ?? '')
    .split(/[;|]/)
    .map((s) => neutraliseFormula(s.trim()))
    .filter(Boolean);

const yes = (value: string | undefined) => ['true', 'yes', '1'].includes((value ?? '').trim().toLowerCase());

function ints(field: string, value: string | undefined): number[] {
  return list(value).map((s, i) => {
    const n = Number(s);
    if (!Number.isInteger(n)) throw badInput(`${field}[${i}]`, `must be a whole number, got "${s}"`);
    return n;
  });
}

function oneOf<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T {
  const s = (value ?? '')
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (!(allowed as readonly string[]).includes(s))
    throw badInput(field, `must be one of ${allowed.join(', ')}, got "${value ?? ''}"`);
  return s as T;
}

/** A list cell of enum values, each read as {@link oneOf} does, by the one rule for such lists. */
function oneOfEach<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T[] {
  return v.enumList(
    field,
    list(value).map((item, i) => oneOf(`${field}[${i}]`, item, allowed)),
    allowed,
  );
}

function optionalNumber(field: string, value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw badInput(field, `must be a number, got "${value}"`);
  return n;
}

/** Runs the checks of one row; the first failing field is reported. */
function checked<T>(line: number, run: () => T): T | RowError {
  try {
    return run();
  } catch (error) {
    if (error instanceof DomainError) return { line, field: error.field ?? '', message: error.message };
    throw error;
  }
}

export function toStakeholderRow(line: number, r: Record): StakeholderRow | RowError {
  return checked(line, () => {
    const externalId = v.requireText('externalId', r.externalId ?? '', 200);
    const kind = oneOf('kind', r.kind, Object.values(StakeholderKind));
    let latitude = optionalNumber('latitude', r.latitude);
    let longitude = optionalNumber('longitude', r.longitude);
    const countryCode = r.countryCode?.trim() ? r.countryCode.trim().toUpperCase() : null;
    const city = r.city?.trim() || null;
    let regionCode = r.regionCode?.trim() ? r.regionCode.trim().toUpperCase() : null;
    if ((latitude === null) !== (longitude === null))
      throw badInput(latitude === null ? 'latitude' : 'longitude', 'must be given with the other coordinate');
    if (latitude !== null && longitude !== null) {
      ({ latitude, longitude } = v.geoPoint('location', { latitude, longitude }));
    } else if (city) {
      if (!countryCode) throw badInput('countryCode', 'is required with city, to geocode it');
      const place = geocodeCity(city, countryCode, 'city', 'the latitude and longitude columns instead of the city');
      latitude = place.latitude;
      longitude = place.longitude;
      regionCode ??= place.regionCode;
    }
    const consentGiven = yes(r.consentGiven);
    if (kind === StakeholderKind.FAMILY && !consentGiven)
      throw badInput('consentGiven', 'must be true to register a FAMILY (their consent, recorded by the coordinator)');
    return {
      line,
      externalId,
      kind,
      consentGiven,
      allowDuplicate: yes(r.allowDuplicate),
      name: v.requireText('name', r.name ?? '', 200),
      description: v.optionalText('description', r.description, 5000),
      city,
      countryCode,
      latitude,
      longitude,
      regionCode,
      sdgIds: v.sdgList('sdgs', ints('sdgs', r.sdgs), { nonEmpty: false }),
      expertise: v.textList('expertise', list(r.expertise), 100),
      languages: v.languageList('languages', list(r.languages)),
      educationLevels: v.intList('educationLevels', ints('educationLevels', r.educationLevels), 0, 8),
      capacity: r.capacity?.trim() ? v.intInRange('capacity', Number(r.capacity), 0, 1000) : 3,
      serviceArea: r.serviceArea?.trim() ? oneOf('serviceArea', r.serviceArea, Object.values(ServiceArea)) : null,
      underservedContexts: oneOfEach('underservedContexts', r.underservedContexts, Object.values(UnderservedContext)),
      contactEmail: v.optionalEmail('contactEmail', r.contactEmail),
      contactPhone: v.optionalText('contactPhone', r.contactPhone, 50),
      website: v.optionalWebsite('website', r.website),
    };
  });
}

export function toChallengeRow(line: number, r: Record): ChallengeRow | RowError {
  return checked(line, () => ({
    line,
    externalId: v.requireText('externalId', r.externalId ?? '', 200),
    schoolExternalId: v.requireText('schoolExternalId', r.schoolExternalId ?? '', 200),
    title: v.requireText('title', r.title ?? '', 200),
    description: v.optionalText('description', r.description, 5000),
    sdgIds: v.sdgList('sdgs', ints('sdgs', r.sdgs), { nonEmpty: true }),
    expertiseNeeded: v.textList('expertiseNeeded', list(r.expertiseNeeded), 100),
    wantedKinds: oneOfEach('wantedKinds', r.wantedKinds, Object.values(StakeholderKind)),
    radiusKm: r.radiusKm?.trim() ? v.numberInRange('radiusKm', Number(r.radiusKm), 0.1, 20000) : 50,
    phase: r.phase?.trim() ? oneOf('phase', r.phase, Object.values(ChallengePhase)) : ChallengePhase.IDEA,
    pupilContact: r.pupilContact?.trim()
      ? oneOf('pupilContact', r.pupilContact, Object.values(PupilContact))
      : PupilContact.SUPERVISED,
    plannedEndOn: r.plannedEndOn?.trim() ? v.isoDate('plannedEndOn', r.plannedEndOn.trim()) : null,
  }));
}

export function isRowError(x: unknown): x is RowError {
  return typeof x === 'object' && x !== null && 'message' in x && 'field' in x && !('externalId' in x);
}
