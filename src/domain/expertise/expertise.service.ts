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
  // One statement: new tags inserted, stored ones read. A tag that another transaction inserted,
  // and committed while this statement waited on it, is in neither half (the statement reads
  // from before the wait): what is missing is read again, after it.
  const rows: { id: number; slug: string }[] = await manager.query(
    `WITH added AS (
       INSERT INTO expertise (slug, label) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (slug) DO NOTHING RETURNING id, slug)
     SELECT id, slug FROM added UNION ALL SELECT id, slug FROM expertise WHERE slug = ANY($1::text[])`,
    [slugs, [...wanted.values()]],
  );
  const idBySlug = new Map(rows.map((r) => [r.slug, r.id]));
  const missing = slugs.filter((slug) => !idBySlug.has(slug));
  if (missing.length) {
    const late: { id: number; slug: string }[] = await manager.query(
      'SELECT id, slug FROM expertise WHERE slug = ANY($1::text[])',
      [missing],
    );
    for (const r of late) idBySlug.set(r.slug, r.id);
  }
  return slugs.map((slug) => {
    const id = idBySlug.get(slug);
    if (id === undefined) throw new Error(`expertise "${slug}" was neither stored nor found`);
    return id;
  });
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
