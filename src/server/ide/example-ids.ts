import { DataSource } from 'typeorm';
import { ExampleIds } from './examples';

/**
 * The ids the IDE's examples and the example portal page open with: the first open challenge by
 * time and title (a seed writes many at one instant), and the university of its country that
 * shares most of its goals, so that every example has answers. A database that cannot answer
 * throws: the caller decides (the IDE page logs it and opens with placeholders).
 */
export async function exampleIds(dataSource: DataSource): Promise<ExampleIds> {
  type Row = { challenge_id: string; school_id: string; stakeholder_id: string | null; hub_id: string | null };
  const [row]: (Row | undefined)[] = await dataSource.query(
    `SELECT c.id AS challenge_id, c.school_id, c.hub_id,
         (SELECT s.id FROM stakeholder s WHERE s.kind = 'UNIVERSITY' AND s.erased_at IS NULL
            AND (c.region_code IS NULL OR s.country_code = left(c.region_code, 2))
          ORDER BY cardinality(ARRAY(SELECT unnest(s.sdg_ids) INTERSECT SELECT unnest(c.sdg_ids))) DESC, s.name, s.id
          LIMIT 1) AS stakeholder_id
       FROM challenge c WHERE c.phase <> 'COMPLETED' ORDER BY c.created_at, c.title, c.id LIMIT 1`,
  );
  return {
    challengeId: row?.challenge_id,
    stakeholderId: row?.stakeholder_id ?? undefined,
    hubId: row?.hub_id ?? undefined,
    schoolId: row?.school_id,
  };
}
