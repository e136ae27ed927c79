import { EntityManager } from 'typeorm';
import { slugify } from '../text';
import { badInput } from '../errors';
import { Expertise } from './expertise.entity';

/**
 * Turns free labels into expertise ids, creating tags on first use. Labels that fold to the
 * same slug ("Water management", "water-management", "Wáter Management") share one tag.
 */
export async function resolveExpertiseLabels(
  manager: EntityManager,
  field: string,
  labels: string[],
): Promise<number[]> {
  const wanted = new Map<string, string>();
  labels.forEach((label, i) => {
    const slug = slugify(label);
    if (!slug) throw badInput(`${field}[${i}]`, `must contain a letter or digit, got "${label}"`);
    if (!wanted.has(slug)) wanted.set(slug, label.trim());
  });
  if (wanted.size === 0) return [];
  const slugs = [...wanted.keys()];
  await manager.query(
    `INSERT INTO expertise (slug, label) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (slug) DO NOTHING`,
    [slugs, [...wanted.values()]],
  );
  const rows: { id: number; slug: string }[] = await manager.query(
    `SELECT id, slug FROM expertise WHERE slug = ANY($1::text[])`,
    [slugs],
  );
  const idBySlug = new Map(rows.map((r) => [r.slug, r.id]));
  return slugs.map((s) => idBySlug.get(s)!);
}

/** Expertise tags whose slug or label resembles the search text, best first. */
export async function searchExpertise(
  manager: EntityManager,
  search: string | undefined,
  limit: number,
): Promise<Expertise[]> {
  const qb = manager.getRepository(Expertise).createQueryBuilder('e');
  if (search && slugify(search)) {
    qb.where(`e.slug % :slug OR e.slug LIKE :prefix`, { slug: slugify(search), prefix: `${slugify(search)}%` })
      .orderBy('similarity(e.slug, :slug)', 'DESC')
      .addOrderBy('e.id', 'ASC');
  } else {
    qb.orderBy('e.slug', 'ASC');
  }
  return qb.limit(limit).getMany();
}

/** The ids of the expertise tags with the given slugs (unknown slugs have none). */
export async function expertiseIdsOfSlugs(db: EntityManager, slugs: readonly string[]): Promise<number[]> {
  const rows: { id: number }[] = await db.query('SELECT id FROM expertise WHERE slug = ANY($1::text[])', [slugs]);
  return rows.map((r) => r.id);
}
