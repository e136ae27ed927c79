/** What a development start says in words, and the index memory in a form that does not alarm. */
import { megabytes, StartSummary, startLines } from '../../src/server/start-summary';

const base: StartSummary = {
  url: 'http://localhost:4000/graphql',
  ide: true,
  examplePage: 'http://localhost:4000/embed/example.html',
  writes: 'off',
  mail: 'files in /srv/.data/mail',
  index: { stakeholders: 27, challenges: 6, memoryMb: 0.1 },
};

describe('the start in words', () => {
  it.each<[string, Partial<StartSummary>, RegExp]>([
    ['reads only', {}, / · writes off \(reads only: set ADMIN_API_KEY, 24\+ characters, to write and create keys\) · /],
    ['the bootstrap key', { writes: 'ADMIN_API_KEY' }, / · writes on \(ADMIN_API_KEY\) · /],
    ['keys in the database', { writes: 'API keys' }, / · writes on \(API keys\) · /],
    ['the demo keys', { writes: 'demo keys' }, / · writes on \(demo keys\) · /],
    ['no IDE', { ide: false }, /^Ready at http:\/\/localhost:4000\/graphql · IDE off · /],
    ['SMTP', { mail: 'SMTP smtp://mail.example.org:587' }, / · mail to SMTP smtp:\/\/mail\.example\.org:587 · /],
  ])('says who can write, where mail goes, whether the IDE is on: %s', (_case, over, expected) => {
    const lines = startLines({ ...base, ...over });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    expect(lines[0]).toMatch(/ · example page http:\/\/localhost:4000\/embed\/example\.html · /);
    expect(lines[0]).toMatch(/ · index 27 stakeholders, 6 challenges, 0\.1 MB$/);
  });

  it('names the demo keys, and their hub, on a line of their own', () => {
    const demoKeys = {
      hubId: 'h',
      hubName: 'Leuven Education Makers',
      coordinator: 'osm_c',
      portal: 'osm_p',
      revoked: 2,
    };
    const lines = startLines({ ...base, writes: 'demo keys', demoKeys });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Demo keys for the hub "Leuven Education Makers" \(development only; /);
    expect(lines[1]).toMatch(/: COORDINATOR osm_c · PORTAL osm_p$/);
  });
});

describe('the index memory in MB', () => {
  it.each([
    [0, 0],
    [1, 0.1],
    [122_877, 0.1],
    [149_999, 0.1],
    [150_000, 0.2],
    [120_000_000, 120],
  ])('%d bytes are %d MB', (bytes, mb) => expect(megabytes(bytes)).toBe(mb));
});
