/**
 * The GraphQL IDE in Chromium, on the demo network as `npm start` seeds it in development: every
 * tab runs green as shipped (those that need a role with the demo key they carry), the tab bar
 * lets every tab be reached at 1,400 px, and a key typed into the Headers tab reaches subscriptions.
 */
import { Browser, Page } from 'playwright-core';
import { exampleOperations } from '../../src/server/ide/examples';
import { closePage, launchBrowser, openPage, screenshot } from '../helpers/browser';
import { createStakeholders } from '../helpers/network';
import { CreateApiKeyDocument, StakeholderKind } from '../generated/graphql';
import { parseRecord } from '../helpers/json';
import { asResult, expectData, expectErrors, GraphQLResult, startTestServer, TestServer } from '../helpers/server';
import { until } from '../helpers/ws-client';

// Page-side code (page.evaluate) runs in the browser, whose DOM this tsconfig (Node's) does not
// type: what these tests read of it is declared here, GraphiQL's editors (CodeMirror 5's, which
// hang their editor on their element).
interface CodeMirrorElement {
  CodeMirror: { getValue(): string };
}
interface TabBar {
  scrollWidth: number;
  clientWidth: number;
}
declare function getComputedStyle(el: TabBar): { overflowX: string };
declare const document: {
  querySelector(selector: string): CodeMirrorElement | null;
  querySelectorAll(selector: string): Iterable<CodeMirrorElement>;
};

let t: TestServer;
let browser: Browser;
let base: string;

beforeAll(async () => {
  // As `npm start` in development: the demo network, and the demo keys the start makes for it.
  t = await startTestServer({ demo: true });
  base = t.server.url.replace(/\/graphql$/, '');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Geocoded from the city, as a coordinator would enter it. */
const inLeuven = { city: 'Leuven', countryCode: 'BE', location: null };

/** A partner that fits the challenge as well as can be: its SDGs, expertise, wanted kind, in the school's town. */
async function perfectPartnerFor(challengeId: string, name: string): Promise<unknown> {
  const { json } = await t.raw<{
    challenge: {
      sdgs: { id: string }[];
      expertiseNeeded: { label: string }[];
      wantedKinds: StakeholderKind[];
      school: { city: string | null; countryCode: string | null };
    };
  }>({
    query: `query($id: ID!) {
      challenge(id: $id) { sdgs { id } expertiseNeeded { label } wantedKinds school { city countryCode } }
    }`,
    variables: { id: challengeId },
  });
  const c = expectData(json).challenge;
  return createStakeholders(t, [
    {
      name,
      kind: c.wantedKinds[0] ?? 'UNIVERSITY',
      sdgs: c.sdgs.map((s) => Number(s.id)),
      expertise: c.expertiseNeeded.map((e) => e.label),
      languages: ['nl', 'en'],
      city: c.school.city,
      countryCode: c.school.countryCode,
      location: null,
    },
  ]);
}

/** What an example's result must hold, and for a subscription what makes it fire. */
interface Expectation {
  check: (data: unknown) => void;
  trigger?: (variables: Record<string, unknown>) => Promise<unknown>;
  /** The demo key the tab carries in its own headers, for a tab that needs a role. */
  key?: 'coordinator' | 'portal';
}

/**
 * An {@link Expectation} whose check reads the data as `D`, the shape the example's query asks for
 * (the IDE's result pane holds plain JSON; its shape is the example's, written out beside it).
 */
function example<D>(e: Omit<Expectation, 'check'> & { check: (data: D) => void }): Expectation {
  return { ...e, check: (data) => e.check(data as D) };
}

/**
 * What each example's result must hold besides "no errors", and for a subscription what makes it
 * fire and what it then shows. The example challenge is whichever the demo seed made first.
 */
const EXPECTED: Record<string, Expectation> = {
  FindPartners: example<{ suggestPartners: { edges: unknown[] } }>({
    check: (d) => expect(d.suggestPartners.edges.length).toBeGreaterThan(0),
  }),
  BuildTeam: example<{ suggestTeam: { members: unknown[] } }>({
    check: (d) => expect(d.suggestTeam.members.length).toBeGreaterThan(0),
  }),
  ChallengesForPartner: example<{ suggestChallenges: { edges: unknown[] } }>({
    check: (d) => expect(d.suggestChallenges.edges.length).toBeGreaterThan(0),
  }),
  NewMatches: example<{ matchFound: { stakeholder: { name: string } } }>({
    check: (d) => expect(d.matchFound.stakeholder.name).toBe('Citizen Science Living Lab'),
    trigger: (variables) => perfectPartnerFor(String(variables.challengeId), 'Citizen Science Living Lab'),
  }),
  NewPartnersNearby: example<{ partnerJoined: { name: string } }>({
    check: (d) => expect(d.partnerJoined.name).toBe('Leuven Water Institute'),
    trigger: () =>
      createStakeholders(t, [
        {
          name: 'Leuven Water Institute',
          kind: 'RESEARCH_INSTITUTE',
          sdgs: [6],
          expertise: ['Hydrology'],
          ...inLeuven,
        },
      ]),
  }),
  OpenChallenges: example<{ challenges: { totalCount: number } }>({
    check: (d) => expect(d.challenges.totalCount).toBeGreaterThanOrEqual(5),
  }),
  PartnersNearby: { check: (d) => expect(JSON.stringify(d)).toContain('Waterschap Vechtstromen') },
  Goals: example<{ sdgs: { code: string; titleNl: string }[] }>({
    check: (d) => expect(d.sdgs.find((g) => g.code === 'SDG 13')?.titleNl).toBe('Klimaatactie'),
  }),
  HubBoard: example<{ hubBoard: { hub: { name: string }; openChallenges: unknown[] } }>({
    key: 'coordinator',
    check: (d) => {
      expect(d.hubBoard.hub.name).toBe('Leuven Education Makers');
      expect(d.hubBoard.openChallenges.length).toBeGreaterThan(0);
    },
  }),
  BrokeringLoop: example<{
    challenge: { shortlist: unknown[] };
    invitationDraft: string;
    activity: { edges: unknown[] };
  }>({
    key: 'coordinator',
    check: (d) => {
      expect(d.challenge.shortlist).toEqual([]);
      expect(d.invitationDraft).toMatch(/^Beste /);
      expect(d.activity.edges).toEqual([]);
    },
  }),
  Webhooks: example<{ webhookEndpoints: { edges: unknown[] } }>({
    key: 'coordinator',
    // The demo registers none: the tab shows the empty list and, in its comment, how to add one.
    check: (d) => expect(d.webhookEndpoints.edges).toEqual([]),
  }),
  RegisterPartner: example<{ createStakeholder: { name: string; region: { code: string } } }>({
    key: 'coordinator',
    check: (d) => expect(d.createStakeholder).toMatchObject({ name: 'Repair Café Leuven', region: { code: 'BE-VBR' } }),
  }),
  PostChallenge: example<{ createChallenge: { hub: { name: string } } }>({
    key: 'coordinator',
    // Filed under the hub, so it shows on the hub's board.
    check: (d) => expect(d.createChallenge.hub.name).toBe('Leuven Education Makers'),
  }),
  InvitePartner: example<{ invitePartner: { status: string } }>({
    key: 'portal',
    check: (d) => expect(d.invitePartner.status).toBe('INVITED'),
  }),
};

const NAMES = exampleOperations().map((e) => /(?:query|mutation|subscription)\s+(\w+)/.exec(e.query)![1]);

/** The Variables and Headers editors' texts (they share one place; the button pressed shows one). */
const toolTexts = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')].map((e) => e.CodeMirror.getValue()),
  );
const variablesText = async (page: Page) => (await toolTexts(page))[0];
const headersText = async (page: Page) => (await toolTexts(page))[1];

/**
 * Waits until the response pane holds a JSON result containing one of `anyOf` — an event on
 * the page, never a pause — and returns it parsed.
 */
async function response(page: Page, anyOf: string[]): Promise<GraphQLResult<unknown>> {
  const handle = await page.waitForFunction((needles) => {
    const text: string = document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? '';
    return needles.some((n: string) => text.includes(n)) && text.trim().endsWith('}') && text;
  }, anyOf);
  return asResult(JSON.parse((await handle.jsonValue()) as string));
}

async function openTab(page: Page, name: string): Promise<void> {
  await page
    .locator('.graphiql-tab')
    .filter({ has: page.getByText(name, { exact: true }) })
    .click();
  await page.waitForFunction((n) => {
    const text = document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror.getValue();
    // An editor not there yet tests `undefined`, as the browser's RegExp would (it never matches).
    return new RegExp(`(query|mutation|subscription) ${n}\\b`).test(String(text));
  }, name);
}

const run = (page: Page) => page.locator('.graphiql-execute-button').click();

/** Every tab can be reached: the bar fits its width, or it scrolls sideways to the last tab. */
async function expectTabBarReachable(page: Page): Promise<void> {
  const bar = page.locator('.graphiql-tabs');
  const { fits, scrolls } = await bar.evaluate((el: TabBar) => ({
    fits: el.scrollWidth <= el.clientWidth,
    scrolls: ['auto', 'scroll'].includes(getComputedStyle(el).overflowX),
  }));
  expect(fits || scrolls).toBe(true);
  const last = page.locator('.graphiql-tab').last();
  await last.scrollIntoViewIfNeeded();
  const box = (await last.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(1400);
  // Every tab keeps its whole name (none squeezed to an ellipsis).
  const squeezed = await page
    .locator('.graphiql-tab-button')
    .evaluateAll((buttons: TabBar[]) => buttons.filter((b) => b.scrollWidth > b.clientWidth).length);
  expect(squeezed).toBe(0);
}

describe('the GraphQL IDE', () => {
  it('runs every example tab green on the demo data, offline', async () => {
    const tp = await openPage(browser);
    const { page } = tp;
    // Any error on the console fails the run, not only those of the Content-Security-Policy.
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${m.text()} (${m.location().url})`));
    // The width the issue found tabs off screen at: the bar must fit or scroll.
    await page.setViewportSize({ width: 1400, height: 900 });
    const remote: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith(base.replace('http', 'ws'))) remote.push(r.url());
    });
    const served = await page.goto(`${base}/graphql`);
    // Scripts only from the service itself: an injected inline script would not run.
    expect(served?.headers()['content-security-policy']).toMatch(/script-src 'self';/);
    await page.locator('.graphiql-execute-button').waitFor();
    expect(NAMES).toEqual(Object.keys(EXPECTED));
    await expectTabBarReachable(page);
    await page.getByRole('button', { name: 'Headers' }).click();
    const keys = t.summary.demoKeys!;
    expect(keys.hubName).toBe('Leuven Education Makers');

    for (const name of NAMES) {
      await openTab(page, name);
      // Nothing to type: reads carry no header, the tabs that need a role carry their demo key.
      const { check, trigger, key } = EXPECTED[name];
      const headers = key ? { Authorization: `Bearer ${keys[key]}` } : undefined;
      const shown = await headersText(page);
      expect({ name, headers: shown ? parseRecord(shown) : undefined }).toEqual({ name, headers });
      await run(page);
      if (trigger) {
        // The IDE subscribed over WebSocket once the server holds the subscription.
        await until(() => t.live.size === 1, 10_000);
        await trigger(parseRecord((await variablesText(page)) || '{}'));
      }
      // A subscription shows nothing until its event comes.
      const result = await response(page, ['"data"', '"errors"']);
      expect({ name, errors: result.errors }).toEqual({ name, errors: undefined });
      check(result.data);
      if (trigger) {
        if (name === 'NewMatches') await screenshot(page, 'ide.png'); // the README's "IDE receiving a live match"
        await run(page); // stop the subscription
        await until(() => t.live.size === 0, 10_000);
      }
    }
    expect(remote).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await closePage(t, tp);
  });

  it('sends a key typed into the Headers tab with subscriptions, and shows a bad one refused', async () => {
    const [{ id: hub }]: { id: string }[] = await t.db.dataSource.query(
      `SELECT id FROM hub WHERE name = 'Leuven Education Makers'`,
    );
    const key = expectData(
      await t.admin(CreateApiKeyDocument, { input: { name: 'Leuven', role: 'COORDINATOR', hubIds: [hub] } }),
    ).createApiKey.secret;
    const tp = await openPage(browser);
    const { page } = tp;
    await page.goto(`${base}/graphql`);
    await openTab(page, 'NewPartnersNearby');
    await page.getByRole('button', { name: 'Headers' }).click();

    const typeHeaders = async (text: string) => {
      await page.locator('.graphiql-editor-tool .CodeMirror:visible').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      // Typed as a person would, with the capital A GraphiQL users write.
      await page.keyboard.type(text);
      expect(await headersText(page)).toBe(text);
    };

    await typeHeaders('{"Authorization": "Bearer osm_not-a-key"}');
    await run(page);
    const refused = await response(page, ['"errors"']);
    expect(expectErrors(refused)[0].message).toMatch(/4401 Unauthorized: the API key is not valid/i);
    expect(t.live.size).toBe(0);

    await typeHeaders(`{"Authorization": "Bearer ${key}"}`);
    await run(page);
    await until(() => t.live.size === 1, 10_000);
    await createStakeholders(t, [
      { name: 'KU Leuven Hydrology Lab', kind: 'UNIVERSITY', sdgs: [6], expertise: ['Hydrology'], ...inLeuven },
    ]);
    const result = await response(page, ['KU Leuven Hydrology Lab', 'errors']);
    expect(result.errors).toBeUndefined();
    await run(page);
    // GraphiQL reports the refused subscription as an uncaught error besides showing it.
    await closePage(t, tp, /Socket closed with event 4401/);
  });
});
