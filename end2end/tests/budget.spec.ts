import { test, expect, type Browser, type Response } from '@playwright/test';
import { brotliCompressSync, constants } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hydrated, signIn } from './fixtures';

/** Per page, the most its first load may download before it hydrates: the wasm, js and css
 *  (raw, and brotli at quality 11 as a server would send them). Sizes are deterministic for a
 *  build, so this is a test, not a timing. Budgets only ever go down; the target for every
 *  page is 675 KB raw and 250 KB brotli (issue 18). */
type Budget = { raw: number; brotli: number };
const budgets: Record<string, Budget> = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'budget.json'), 'utf8'),
).pages;

const PAGES: { name: string; path: string; as?: string }[] = [
  { name: 'sign-in', path: '/sign-in' },
  { name: 'home', path: '/', as: 'admin@demo.example' },
  { name: 'clients', path: '/providers/1/clients', as: 'admin@demo.example' },
  { name: 'provider members', path: '/providers/1/manage/members', as: 'admin@demo.example' },
  { name: 'provider event log', path: '/providers/1/manage/events', as: 'admin@demo.example' },
  { name: 'console members', path: '/organizations/1/members', as: 'admin@demo.example' },
  { name: 'account', path: '/account', as: 'admin@demo.example' },
  { name: 'vault', path: '/vault', as: 'admin@demo.example' },
];

const ASSET = /\/pkg\/.*\.(wasm|js|css)$/;

/** The cookies of a signed-in session, for a fresh context with an empty cache. */
async function sessionOf(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  const state = await context.storageState();
  await context.close();
  return state;
}

for (const { name, path: url, as } of PAGES) {
  test(`first load of ${name} stays within its budget`, async ({ browser }) => {
    const budget = budgets[name];
    expect(budget, `budget.json names ${name}`).toBeDefined();
    const context = await browser.newContext(as ? { storageState: await sessionOf(browser, as) } : {});
    const page = await context.newPage();
    const assets: Response[] = [];
    page.on('response', (response) => {
      if (ASSET.test(new URL(response.url()).pathname)) assets.push(response);
    });
    await page.goto(url);
    await hydrated(page);
    const hydratedAt = await page.evaluate(() => performance.now());
    // What arrived before the page hydrated (every asset is fetched by then).
    let raw = 0;
    let brotli = 0;
    const files: string[] = [];
    for (const response of assets) {
      const body = await response.body();
      const compressed = brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
      }).length;
      raw += body.length;
      brotli += compressed;
      files.push(`${path.basename(new URL(response.url()).pathname)} ${body.length} B (${compressed} B brotli)`);
    }
    console.log(
      `[budget] ${name}: ${raw} B raw, ${brotli} B brotli, hydrated at ${Math.round(hydratedAt)} ms; ${files.join(', ')}`,
    );
    expect(assets.length, 'the page loaded its bundle').toBeGreaterThan(0);
    expect(raw, `${name}: raw bytes before hydration`).toBeLessThanOrEqual(budget.raw);
    expect(brotli, `${name}: brotli bytes before hydration`).toBeLessThanOrEqual(budget.brotli);
    await context.close();
  });
}
