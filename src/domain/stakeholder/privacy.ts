/**
 * Privacy by default: what a viewer who may not see a stakeholder's private data sees instead.
 * Families are people, not organisations: never shown by name, never at their address.
 */
import { StakeholderKind } from '../enums';

/** Fields that only the service's administrators (and, with keys, a hub's coordinators) see. */
export const CONTACT_FIELDS = new Set(['contactEmail', 'contactPhone']);
/**
 * Fields of a family that are replaced or hidden for everyone else. Underserved contexts (ethnic
 * minority, socio-economic) are special-category data (GDPR Art. 9): private like the name.
 */
export const FAMILY_FIELDS = new Set([
  'name',
  'description',
  'website',
  'location',
  'underservedContexts',
  'externalId',
]);

/**
 * A stakeholder's safeguarding checks: seen by ADMIN and the coordinators of its hubs only; for
 * everyone else null, whether or not a check exists.
 */
export const SAFEGUARDING_FIELDS = new Set(['safeguardingChecks']);

/** Grid of coarsened family locations, in degrees (0.01° ≈ 1.1 km of latitude). */
export const FAMILY_GRID_DEGREES = 0.01;

export function coarsen(value: number): number {
  return Math.round(value / FAMILY_GRID_DEGREES) * FAMILY_GRID_DEGREES;
}

/** The name a family is shown under. */
export function familyLabel(city: string | null): string {
  return city ? `Family in ${city}` : 'A family';
}

/** How a stakeholder is named in messages anyone may read: a family only by its public label. */
export function publicName(s: { kind: StakeholderKind; name: string; city: string | null }): string {
  return s.kind === StakeholderKind.FAMILY ? familyLabel(s.city) : s.name;
}

/** Whether a field of this stakeholder needs the viewer's right to private data. */
export function isPrivateField(kind: StakeholderKind, field: string): boolean {
  return (
    CONTACT_FIELDS.has(field) ||
    SAFEGUARDING_FIELDS.has(field) ||
    (kind === StakeholderKind.FAMILY && FAMILY_FIELDS.has(field))
  );
}

/** The value a viewer without that right gets for a private field. */
export function maskedValue(s: { kind: StakeholderKind; city: string | null }, field: string, value: unknown): unknown {
  if (CONTACT_FIELDS.has(field) || SAFEGUARDING_FIELDS.has(field)) return null;
  // A spreadsheet id can be a person's email address: a family's is private.
  if (s.kind !== StakeholderKind.FAMILY) return value;
  switch (field) {
    case 'name':
      return familyLabel(s.city);
    case 'location': {
      const p = value as { latitude: number; longitude: number } | null;
      return p ? { latitude: coarsen(p.latitude), longitude: coarsen(p.longitude) } : null;
    }
    case 'underservedContexts':
      return [];
    default:
      return null;
  }
}
