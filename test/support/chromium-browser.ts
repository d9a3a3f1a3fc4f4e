/**
 * Debian's Chromium driven by playwright-core, headless, with a fresh profile, every background feature off, and
 * every request and console error recorded, so a test can assert that a page made none.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenedPage {
  page: Page;
  /** Every request the page made, beyond the file:// URL it was opened at. */
  requests: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openInChromium(url: string, viewport = { width: 1100, height: 900 }): Promise<OpenedPage> {
  const profile = await mkdtemp(join(tmpdir(), 'chaosdrill-chromium-'));
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: ARGS, headless: true, viewport });
    const page = context.pages()[0] ?? (await context.newPage());
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(url, { waitUntil: 'load' });
    const opened = context;
    return {
      page,
      requests,
      consoleErrors,
      close: async () => {
        await opened.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
