/**
 * Test harness: headless Chromium (Debian's `chromium` package, installed by `scripts/test-setup.sh`) driven by
 * playwright-core. Loopback only: background networking is disabled and every request to a host other than
 * 127.0.0.1 / localhost / [::1] is aborted (and recorded, so a test can assert there were none).
 *
 * Screenshots go to `test-output/screenshots/` (ignored by git) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['ACCORD_CHROMIUM'] ?? '/usr/bin/chromium';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (cookies, storage) whose off-loopback requests are aborted. */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
  /** A page in a fresh context. */
  newPage(options?: Parameters<Browser['newContext']>[0]): Promise<Page>;
  /** Requests the browser tried to send off loopback (aborted). */
  readonly blockedRequests: readonly string[];
  /** Saves a full-page screenshot as test-output/screenshots/<name>.png and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  const blockedRequests: string[] = [];

  const newContext = async (options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext> => {
    const context = await browser.newContext(options);
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK_HOSTS.has(url.hostname)) {
        await route.continue();
        return;
      }
      blockedRequests.push(url.href);
      await route.abort('blockedbyclient');
    });
    return context;
  };

  return {
    browser,
    newContext,
    async newPage(options) {
      const context = await newContext(options);
      return context.newPage();
    },
    blockedRequests,
    async screenshot(page, name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await browser.close();
    },
  };
}
