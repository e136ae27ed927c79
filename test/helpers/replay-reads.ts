import { DataSource } from 'typeorm';

/**
 * Counts the pages of stored match events a data source reads for resuming subscribers (the
 * statement of readEvents), from now until `jest.restoreAllMocks()`.
 */
export function countReplayPageReads(dataSource: DataSource): { reads: number } {
  const counter = { reads: 0 };
  const query = dataSource.query.bind(dataSource);
  jest.spyOn(dataSource, 'query').mockImplementation((sql, ...rest) => {
    if (/FROM match_event[\s\S]*ORDER BY seq LIMIT/.test(sql)) counter.reads++;
    return query(sql, ...rest);
  });
  return counter;
}
