import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchBrowser, SCREENSHOTS } from '../helpers/browser';
import { createChallenge, createStakeholders } from '../helpers/network';
import { CreateApiKeyDocument, CreateHubDocument } from '../generated/graphql';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
let browser: Browser;
let challengeId: string;
let base: string;

beforeAll(async () => {
  t = await startTestServer();
  base = t.server.url.replace(/\/graphql$/, '');
  browser = await launchBrowser();
  const { 'Het Zweringcollege': school } = await createStakeholders(t, [{ name: 'Het Zweringcollege', kind: 'SCHOOL', sdgs: [13, 6], city: 'Oldenzaal', countryCode: 'NL', location: null }]);
  challengeId = (
    await createChallenge(t, {
      schoolId: school, title: 'Our village floods every winter', sdgs: [13, 6], expertiseNeeded: ['Hydrology', 'Sensors'],
      wantedKinds: ['UNIVERSITY', 'GOVERNMENT', 'ENTREPRENEUR', 'FAMILY'],
    })
  ).id;
  await createStakeholders(t, [
    { name: 'University of Twente', kind: 'UNIVERSITY', sdgs: [13, 6], expertise: ['Hydrology', 'Sensors'], city: 'Enschede', countryCode: 'NL', location: null },
    { name: 'Waterschap Vechtstromen', kind: 'GOVERNMENT', sdgs: [6, 13], expertise: ['Water management'], city: 'Almelo', countryCode: 'NL', location: null },
    { name: 'Familie Jansen', kind: 'FAMILY', sdgs: [13], expertise: ['Civil engineering', 'Hydrology'], city: 'Oldenzaal', countryCode: 'NL', location: null },
  ]);
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

describe('the embeddable widget on a portal page', () => {
  it('shows suggestions from one <script> and one element, and updates live without a reload', async () => {
    const page = await newPage();
    const remote: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith(base.replace('http', 'ws'))) remote.push(r.url());
    });
    await page.goto(`${base}/embed/example.html?challenge-id=${challengeId}`);
    const items = page.locator('partner-matches li.match');
    await items.first().waitFor();
    await page.locator('partner-matches .status.live').waitFor();
    expect(await items.count()).toBe(3);
    const text = await page.locator('partner-matches ol.matches').innerText();
    expect(text).toContain('University of Twente');
    expect(text).toContain('Universiteit'); // Dutch labels
    expect(text).toMatch(/Shares SDG 13 Climate action/);
    // Families stay anonymous in the widget as everywhere.
    expect(text).toContain('Family in Oldenzaal');
    expect(text).not.toContain('Jansen');
    await page.evaluate('window.__notReloaded = true');

    await createStakeholders(t, [{ name: 'SensorLab Hengelo', kind: 'ENTREPRENEUR', sdgs: [13, 6], expertise: ['Sensors', 'Hydrology'], city: 'Hengelo', countryCode: 'NL', location: null }]);
    await page.locator('partner-matches li.match.new', { hasText: 'SensorLab Hengelo' }).waitFor({ timeout: 10000 });
    expect(await items.count()).toBe(4);
    expect(await page.evaluate('window.__notReloaded')).toBe(true);

    await page.locator('partner-matches button.team-button').click();
    await page.locator('partner-matches .team ul li').first().waitFor();
    expect(await page.locator('partner-matches .team').innerText()).toContain('Dekt');
    await page.locator('partner-matches').screenshot({ path: path.join(SCREENSHOTS, 'widget.png') });
    expect(remote).toEqual([]);
    await page.close();
  });

  it('lets a portal with a key invite a suggested partner', async () => {
    // A PORTAL key of the school's hub: the right to invite for that hub's challenges, nothing more.
    const schoolId = (await t.db.dataSource.query('SELECT school_id FROM challenge WHERE id = $1', [challengeId]))[0].school_id;
    const hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Twente', memberIds: [schoolId] } })).createHub.id;
    const portal = expectData(await t.admin(CreateApiKeyDocument, { input: { name: 'Twente portal', role: 'PORTAL', hubIds: [hub] } })).createApiKey.secret;
    const page = await newPage();
    await page.goto(`${base}/embed/example.html?challenge-id=${challengeId}`);
    await page.locator('partner-matches li.match').first().waitFor();
    expect(await page.locator('partner-matches li.match button.invite').count()).toBe(0);
    await page.evaluate(`document.querySelector('partner-matches').setAttribute('api-key', '${portal}')`);
    const invite = page.locator('partner-matches li.match button.invite').first();
    await invite.waitFor();
    const stakeholderId = await page.locator('partner-matches li.match').first().getAttribute('data-stakeholder-id');
    await invite.click();
    await page.locator('partner-matches li.match button.invite', { hasText: 'Uitgenodigd' }).waitFor();
    const rows = await t.db.dataSource.query('SELECT status FROM partnership WHERE challenge_id = $1 AND stakeholder_id = $2', [challengeId, stakeholderId]);
    expect(rows).toEqual([{ status: 'INVITED' }]);
    await page.close();
  });
});

describe('the GraphQL IDE', () => {
  it('runs an example query and a subscription, offline', async () => {
    const page = await newPage();
    const remote: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) remote.push(r.url());
    });
    await page.goto(`${base}/graphql`);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor();
    // First tab: FindPartners, with the demo challenge filled in.
    await run.click();
    const result = page.locator('.graphiql-response');
    await page.waitForFunction(`document.querySelector('.graphiql-response')?.textContent?.includes('suggestPartners')`);
    expect(await result.innerText()).toContain('"score"');

    // The subscription tab: run it, then a new partner arrives.
    await page.locator('.graphiql-tab', { hasText: 'NewMatches' }).click();
    const before = t.live.size;
    await run.click();
    await new Promise((r) => setTimeout(r, 1000));
    expect(t.live.size).toBe(before + 1); // the IDE subscribed over WebSocket
    await createStakeholders(t, [{ name: 'Saxion Water Lab', kind: 'UNIVERSITY', sdgs: [13, 6], expertise: ['Hydrology', 'Sensors'], city: 'Enschede', countryCode: 'NL', location: null }]);
    await page.waitForFunction(`document.querySelector('.graphiql-response')?.textContent?.includes('Saxion Water Lab')`, undefined, { timeout: 10000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide.png') });
    expect(remote).toEqual([]);
    await page.close();
  });
});
