/**
 * `npm run bench:limits`: what the guard costs per request, and what a refusal costs, in-process
 * as the server runs them: parse (token cap), shape check, full validation, cost estimate; and the
 * rate limiter. Prints µs per operation.
 */
import { parse, specifiedRules, validate } from 'graphql';
import { performance } from 'node:perf_hooks';
import { buildSchema } from '../src/graphql/build-schema';
import { costError } from '../src/graphql/query-cost';
import { shapeErrors } from '../src/graphql/query-limits';
import { createRateLimiter } from '../src/graphql/rate-limit';
import { closeSpellings, loadGazetteer } from '../src/domain/geo/gazetteer';
import { editDistance, foldText } from '../src/domain/text';

const WIDGET = `query($c: ID!, $n: Int) { suggestPartners(challengeId: $c, first: $n) { totalCount edges { node {
  score breakdown { sdg expertise proximity kind inclusion distanceKm } reasons stakeholder { id name kind city } } } } }`;
const BOMB = `{ hubs { ${'members { hubs { '.repeat(40)}id${' } }'.repeat(40)} } }`;
const ALIASES = `{ ${Array.from({ length: 400 }, (_, i) => `a${i}: sdgs { id }`).join(' ')} }`;
const SAME_FIELD = `{ ${Array.from({ length: 300 }, () => 'sdgs { id }').join(' ')} }`;
const COSTLY = '{ stakeholders(first: 100) { edges { node { hubs { members { hubs { name } } } } } } }';

function time(label: string, runs: number, fn: () => unknown): string {
  for (let i = 0; i < Math.min(200, runs); i++) fn(); // warm up
  const started = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const us = ((performance.now() - started) * 1000) / runs;
  return `| ${label} | ${us.toFixed(1)} µs |`;
}

async function timeAsync(label: string, runs: number, fn: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < Math.min(200, runs); i++) await fn();
  const started = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  const us = ((performance.now() - started) * 1000) / runs;
  return `| ${label} | ${us.toFixed(1)} µs |`;
}

async function main(): Promise<void> {
  const schema = await buildSchema();
  const check = (query: string, variables?: Record<string, unknown>) => () => {
    let document;
    try {
      document = parse(query, { maxTokens: 2000 });
    } catch (error) {
      return error; // refused while parsing: too many tokens
    }
    const shape = shapeErrors(schema, document);
    if (shape.length) return shape;
    const errors = validate(schema, document, specifiedRules);
    return errors.length ? errors : costError(schema, document, variables, undefined, 10_000);
  };
  const limiter = createRateLimiter({ perMinute: 1200, name: 'bench' });
  let n = 0;
  const rows = [
    time('accepted: the widget’s suggestPartners (parse + validate + cost)', 5000, check(WIDGET, { c: 'x', n: 10 })),
    time('refused: 40-level query bomb', 2000, check(BOMB)),
    time('refused: 400 aliases (over 2000 tokens)', 2000, check(ALIASES)),
    time('refused: 300 repeats of one field (1,200 tokens)', 2000, check(SAME_FIELD)),
    time('refused: cost over the limit', 5000, check(COSTLY)),
    time('unknown city, a typo (spelling suggestions, NL)', 200, () => closeSpellings('Enschde', 'NL')),
    time('unknown city at the 100-character cap (spelling suggestions, NL)', 200, () =>
      closeSpellings('Q'.repeat(100), 'NL'),
    ),
    time('  the same, compared in full with every name (the suggester before)', 3, () => {
      const folded = foldText('Q'.repeat(100));
      for (const p of loadGazetteer().places) if (p.country === 'NL') editDistance(folded, foldText(p.name));
    }),
    await timeAsync('rate limiter take (100,000 callers, memory)', 200_000, () => limiter.take(`k${n++ % 100_000}`)),
  ];
  console.log(['| check | per operation |', '|---|---|', ...rows].join('\n'));
}

void main();
