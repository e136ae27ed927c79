/**
 * The `<partner-matches>` widget in Chromium: on the sample portal page, live, with a key, and
 * refused (a bad key, a foreign origin) with a message instead of endless reconnecting.
 */
import { Browser, Page } from 'playwright-core';
import { closePage, launchBrowser, openPage, screenshot } from '../helpers/browser';
import { createChallenge, createStakeholders } from '../helpers/network';
import {
  CreateApiKeyDocument,
  CreateHubDocument,
  RevokeApiKeyDocument,
  SuggestPartnersDocument,
} from '../generated/graphql';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { until } from '../helpers/ws-client';

// Page-side code (page.evaluate) runs in the browser, whose DOM this tsconfig (Node's) does not
// type: what these tests touch of it is declared here. The widget's element, set from outside:
interface WidgetElement {
  setAttribute(name: string, value: string): void;
}
// and the page's WebSocket, counted where each is made.
declare const window: {
  WebSocket: new (url: string | URL, protocols?: string | string[]) => { readonly url: string };
  __sockets: number;
};

/** Geocoded from a Dutch city, as a coordinator would enter it. */
const inNL = (city: string) => ({ city, countryCode: 'NL', location: null });
/** What the challenge needs. */
const WATER = ['Hydrology', 'Sensors'];

let t: TestServer;
let browser: Browser;
let challengeId: string;
let base: string;

beforeAll(async () => {
  t = await startTestServer();
  base = t.server.url.replace(/\/graphql$/, '');
  browser = await launchBrowser();
  const { 'Het Zweringcollege': school } = await createStakeholders(t, [
    { name: 'Het Zweringcollege', kind: 'SCHOOL', sdgs: [13, 6], ...inNL('Oldenzaal') },
  ]);
  challengeId = (
    await createChallenge(t, {
      schoolId: school,
      title: 'Our village floods every winter',
      sdgs: [13, 6],
      expertiseNeeded: ['Hydrology', 'Sensors'],
      wantedKinds: ['UNIVERSITY', 'GOVERNMENT', 'ENTREPRENEUR', 'FAMILY'],
    })
  ).id;
  await createStakeholders(t, [
    { name: 'University of Twente', kind: 'UNIVERSITY', sdgs: [13, 6], expertise: WATER, ...inNL('Enschede') },
    {
      name: 'Waterschap Vechtstromen',
      kind: 'GOVERNMENT',
      sdgs: [6, 13],
      expertise: ['Water management'],
      ...inNL('Almelo'),
    },
    {
      name: 'Familie Jansen',
      kind: 'FAMILY',
      sdgs: [13],
      expertise: ['Civil engineering', 'Hydrology'],
      ...inNL('Oldenzaal'),
    },
  ]);
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const widget = (page: Page) => page.locator('partner-matches');
const items = (page: Page) => page.locator('partner-matches li.match');

/** Waits until the widget is live and the server holds its subscription: only then can an event reach it. */
async function live(page: Page): Promise<void> {
  await page.locator('partner-matches .status.live').waitFor();
  await until(() => t.live.size === 1, 10_000);
}

describe('the embeddable widget on a portal page', () => {
  it('shows suggestions from one <script> and one element, and updates live without a reload', async () => {
    const tp = await openPage(browser);
    const { page } = tp;
    const remote: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith(base.replace('http', 'ws'))) remote.push(r.url());
    });
    await page.goto(`${base}/embed/example.html?challenge-id=${challengeId}`);
    await items(page).first().waitFor();
    await live(page);
    expect(await items(page).count()).toBe(3);
    const text = await page.locator('partner-matches ol.matches').innerText();
    expect(text).toContain('University of Twente');
    expect(text).toContain('Universiteit'); // Dutch labels
    // Reasons in the widget's language (lang="nl" on the example page), not the browser's.
    expect(text).toMatch(/Deelt SDG 13 Klimaatactie/);
    expect(text).not.toMatch(/Shares SDG/);
    // How the partners meet pupils, in the widget's language (this challenge: supervised, the default).
    expect(await page.locator('partner-matches p.sub').innerText()).toMatch(
      / · Met leerlingen, onder toezicht van een leraar$/,
    );
    // Families stay anonymous in the widget as everywhere.
    expect(text).toContain('Family in Oldenzaal');
    expect(text).not.toContain('Jansen');
    await page.evaluate('window.__notReloaded = true');

    await createStakeholders(t, [
      { name: 'SensorLab Hengelo', kind: 'ENTREPRENEUR', sdgs: [13, 6], expertise: WATER, ...inNL('Hengelo') },
    ]);
    const arrived = page.locator('partner-matches li.match.new', { hasText: 'SensorLab Hengelo' });
    await arrived.waitFor();
    expect(await items(page).count()).toBe(4);
    expect(await arrived.innerText()).toMatch(/Deelt SDG/);
    expect(await page.evaluate('window.__notReloaded')).toBe(true);

    await page.locator('partner-matches button.team-button').click();
    await page.locator('partner-matches .team ul li').first().waitFor();
    expect(await page.locator('partner-matches .team').innerText()).toContain('Dekt');
    // The README's picture: a Dutch widget says its reasons in Dutch, every one of them.
    const shown = await page.locator('partner-matches ol.matches').innerText();
    expect(shown).not.toMatch(/Shares SDG|Knows |km away|less than 1 km/);
    await screenshot(widget(page), 'widget.png');
    expect(remote).toEqual([]);
    await closePage(t, tp);
  });

  it('never shows more rows than its limit when a better partner arrives live', async () => {
    const tp = await openPage(browser);
    const { page } = tp;
    await page.goto(`${base}/embed/example.html?challenge-id=${challengeId}`);
    await items(page).first().waitFor();
    await widget(page).evaluate((el: WidgetElement) => el.setAttribute('limit', '2'));
    await page.locator('partner-matches li.match:nth-child(2)').waitFor();
    await live(page);
    expect(await items(page).count()).toBe(2);

    await createStakeholders(t, [
      { name: 'Hydrolab Oldenzaal', kind: 'UNIVERSITY', sdgs: [13, 6], expertise: WATER, ...inNL('Oldenzaal') },
    ]);
    await page.locator('partner-matches li.match.new', { hasText: 'Hydrolab Oldenzaal' }).waitFor();
    expect(await items(page).count()).toBe(2);
    await closePage(t, tp);
  });

  it('on a public page, with the publishable key the page carries: suggestions and live, never a write', async () => {
    // The page as a portal would publish it: its key is publishable (pk_…), bound to the page's origin.
    const pk = expectData(
      await t.admin(CreateApiKeyDocument, {
        input: { name: 'Example page', role: 'PUBLISHABLE', allowedOrigins: [base] },
      }),
    ).createApiKey;
    const tp = await openPage(browser);
    const { page } = tp;
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(`${base}/embed/example.html?challenge-id=${challengeId}`);
    expect(await widget(page).getAttribute('api-key')).toBe(pk.secret);
    await items(page).first().waitFor();
    await live(page);
    expect(await items(page).count()).toBeGreaterThanOrEqual(3);
    // No button for a write: the key is read-only, whatever the page claims.
    expect(await page.locator('partner-matches li.match button').count()).toBe(0);
    expect(warnings).toEqual([]);
    await closePage(t, tp);
    expectData(await t.admin(RevokeApiKeyDocument, { id: pk.apiKey.id }));
  });

  it('lets a portal with a key invite a suggested partner', async () => {
    // A PORTAL key of the school's hub: the right to invite for that hub's challenges, nothing more.
    const [{ school_id: schoolId }]: { school_id: string }[] = await t.db.dataSource.query(
      'SELECT school_id FROM challenge WHERE id = $1',
      [challengeId],
    );
    const hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Twente', memberIds: [schoolId] } }))
      .createHub.id;
    const portal = expectData(
      await t.admin(CreateApiKeyDocument, { input: { name: 'Twente portal', role: 'PORTAL', hubIds: [hub] } }),
    ).createApiKey.secret;
    const tp = await openPage(browser);
    const { page } = tp;
    await page.goto(`${base}/embed/example.html?challenge-id=${challengeId}`);
    await items(page).first().waitFor();
    expect(await page.locator('partner-matches li.match button.invite').count()).toBe(0);
    await widget(page).evaluate((el: WidgetElement, key) => el.setAttribute('api-key', key), portal);
    const invite = page.locator('partner-matches li.match button.invite').first();
    await invite.waitFor();
    const stakeholderId = await items(page).first().getAttribute('data-stakeholder-id');
    await invite.click();
    await page.locator('partner-matches li.match button.invite', { hasText: 'Uitgenodigd' }).waitFor();
    const rows: { status: string }[] = await t.db.dataSource.query(
      'SELECT status FROM partnership WHERE challenge_id = $1 AND stakeholder_id = $2',
      [challengeId, stakeholderId],
    );
    expect(rows).toEqual([{ status: 'INVITED' }]);
    await closePage(t, tp);
  });

  it('with a coordinator key, shortlists a partner and rules one out (gone from list and suggestions)', async () => {
    const [{ school_id: schoolId }]: { school_id: string }[] = await t.db.dataSource.query(
      'SELECT school_id FROM challenge WHERE id = $1',
      [challengeId],
    );
    const hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Desk', memberIds: [schoolId] } }))
      .createHub.id;
    const coordinator = expectData(
      await t.admin(CreateApiKeyDocument, { input: { name: 'Twente desk', role: 'COORDINATOR', hubIds: [hub] } }),
    ).createApiKey.secret;
    const tp = await openPage(browser);
    const { page } = tp;
    await page.goto(`${base}/embed/example.html?challenge-id=${challengeId}`);
    await items(page).first().waitFor();
    expect(await page.locator('partner-matches button.shortlist').count()).toBe(0);
    await widget(page).evaluate((el: WidgetElement, key) => el.setAttribute('api-key', key), coordinator);
    await page.locator('partner-matches li.match button.shortlist').first().waitFor();
    const first = await items(page).nth(0).getAttribute('data-stakeholder-id');
    const second = await items(page).nth(1).getAttribute('data-stakeholder-id');
    await items(page).first().locator('button.shortlist').click();
    await page.locator('partner-matches li.match button.shortlist', { hasText: 'Op de shortlist ✓' }).waitFor();
    expect(
      await t.db.dataSource.query('SELECT 1 FROM shortlist_entry WHERE challenge_id = $1 AND stakeholder_id = $2', [
        challengeId,
        first,
      ]),
    ).toHaveLength(1);
    await page.locator(`partner-matches li.match[data-stakeholder-id="${second}"] button.dismiss`).click();
    await page.locator(`partner-matches li.match[data-stakeholder-id="${second}"]`).waitFor({ state: 'detached' });
    const suggested = expectData(
      await t.request(SuggestPartnersDocument, { challengeId, first: 50 }),
    ).suggestPartners.edges.map((e) => e.node.stakeholder.id);
    expect(suggested).toContain(first);
    expect(suggested).not.toContain(second);
    await closePage(t, tp);
  });
});

describe('the widget, refused', () => {
  /** Counts the WebSockets a page opens, and lets the test run the page's timers ahead. */
  async function refusablePage() {
    const tp = await openPage(browser);
    await tp.page.clock.install();
    await tp.page.addInitScript(() => {
      const Native = window.WebSocket;
      window.__sockets = 0;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          window.__sockets++;
        }
      };
    });
    return tp;
  }

  /** A retry would be due within a minute: run the page's clock past it and count sockets again. */
  async function socketsAfterAMinute(page: Page): Promise<number> {
    await page.clock.runFor(60_000);
    return page.evaluate(() => window.__sockets);
  }

  it('says that the key was refused, and does not reconnect', async () => {
    const tp = await refusablePage();
    const { page } = tp;
    await page.goto(`${base}/embed/example.html?challenge-id=${challengeId}`);
    await live(page); // one socket, public
    await widget(page).evaluate((el: WidgetElement) => {
      el.setAttribute('lang', 'en');
      el.setAttribute('api-key', 'osm_not-a-key');
    });
    const refused = page.locator('partner-matches li.refused');
    await refused.waitFor();
    expect(await refused.innerText()).toBe(
      "The API key was refused: it is not valid or was revoked. Check the widget's api-key attribute.",
    );
    expect(await socketsAfterAMinute(page)).toBe(1);
    expect(await page.locator('partner-matches .status').innerText()).toBe('refused');
    await closePage(t, tp);
  });

  it('says that this site’s origin is not allowed, and does not reconnect', async () => {
    const tp = await refusablePage();
    const { page } = tp;
    // The sample page served as http://localhost:…, talking to http://127.0.0.1:…: another origin,
    // and no key allows it. (Both loopback: Chromium lets a page reach its own address space.)
    const portal = base.replace('127.0.0.1', 'localhost');
    await page.goto(`${portal}/embed/example.html?challenge-id=${challengeId}`);
    await live(page); // one socket, to its own origin
    await widget(page).evaluate((el: WidgetElement, endpoint) => el.setAttribute('endpoint', endpoint), t.server.url);
    const refused = page.locator('partner-matches li.refused');
    await refused.waitFor();
    expect(await refused.innerText()).toBe(
      `Deze site (${portal}) mag deze suggesties niet tonen: er is een publiceerbare API-sleutel nodig ` +
        `(pk_…, attribuut api-key) waarvan de toegestane origins ${portal} bevatten.`,
    );
    expect(await socketsAfterAMinute(page)).toBe(2);
    expect(await page.locator('partner-matches .status').innerText()).toBe('geweigerd');
    await closePage(t, tp);
  });
});
