import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { TestServer } from './server';
import { until } from './ws-client';

/** Debian's Chromium; `.ci/run` installs it with apt-get when missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests write screenshots (referenced from the README). */
export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

/** Launches headless Chromium, or fails saying how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/**
 * Writes a README screenshot, on every run: the picture is what the test just checked, so it
 * cannot show what the page no longer does (a run that changed the page shows in `git status`).
 */
export async function screenshot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: path.join(SCREENSHOTS, name) });
}

/** A page whose script errors are collected, to be checked with {@link closePage}. */
export interface TestPage {
  page: Page;
  errors: Error[];
}

export async function openPage(browser: Browser): Promise<TestPage> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  // A page our Content-Security-Policy breaks says so on the console: that fails the test too.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(new Error(m.text()));
  });
  return { page, errors };
}

/**
 * Closes a page, fails on its script errors (but those matching `expected`), and waits until the
 * server has dropped the page's subscriptions, so that the next test counts its own from zero.
 */
export async function closePage(t: TestServer, { page, errors }: TestPage, expected?: RegExp): Promise<void> {
  await page.close();
  expect(errors.filter((e) => !expected?.test(e.message))).toEqual([]);
  await until(() => t.live.size === 0, 10_000);
}
