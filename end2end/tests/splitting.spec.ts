import { test, expect, type Page, type Request } from '@playwright/test';
import { hydrated, signIn } from './fixtures';

/** Every page is a chunk of the bundle of its own (`cargo leptos build --split`). */

const WASM = /\/pkg\/.*\.wasm$/;

/** The wasm files the page asks for from now on. */
function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (WASM.test(url.pathname)) seen.push(url.pathname);
  });
  return seen;
}

test('a page first loaded fetches its own chunk with the main module, and another page brings its chunk when opened', async ({ page }) => {
  await signIn(page, 'admin@demo.example');
  const requested = wasmRequests(page);
  await page.goto('/providers/1/clients');
  await hydrated(page);
  // The server names the landing page's chunks as preloads, so they come with the main module.
  const preloads = await page.locator('link[rel="preload"][href$=".wasm"]').evaluateAll((links) =>
    links.map((link) => new URL((link as HTMLLinkElement).href).pathname),
  );
  expect(preloads.length, 'the main module and the page chunk are preloaded').toBeGreaterThan(1);
  // In every answer, however the server's threads took turns on the render (CI once saw the
  // main module alone).
  const answers = await Promise.all(
    Array.from({ length: 8 }, () => page.request.get('/providers/1/clients').then((r) => r.text())),
  );
  for (const html of answers) {
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head.match(/<link[^>]*\.wasm"[^>]*>/g)?.length ?? 0, 'each answer preloads the chunks').toBe(preloads.length);
  }
  expect(requested.length, 'more than the main module arrived for the Clients page').toBeGreaterThan(1);
  const before = requested.length;
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members', exact: true })).toBeVisible();
  expect(requested.length, 'opening Members fetched its chunk').toBeGreaterThan(before);
  // And it works: the invite dialog opens from the new page.
  await page.getByRole('link', { name: '+ Invite member' }).click();
  await expect(page.getByRole('dialog', { name: 'Invite members' })).toBeVisible();
});

/** Opens Clients, hydrated, then cuts every wasm download and follows a link of the side
 *  navigation: the next page's chunk cannot arrive. Returns the page's alert. */
async function followWithChunksCut(page: Page, navigation: string, link: string) {
  await page.goto('/providers/1/clients');
  await hydrated(page);
  await page.route(WASM, (route) => route.abort('internetdisconnected'));
  await page.getByRole('navigation', { name: navigation }).getByRole('link', { name: link }).click();
  return page.getByRole('alert');
}

test('a chunk that cannot be fetched shows a translated error with a retry, and the retry opens the page', async ({ page }) => {
  await signIn(page, 'admin@demo.example');
  const alert = await followWithChunksCut(page, 'Main navigation', 'Event logs');
  await expect(alert).toContainText('This page could not be loaded. Check your connection and try again.');
  // The rest of the page still works: the product switcher opens.
  await page.getByRole('button', { name: 'Switch product' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await page.keyboard.press('Escape');

  await page.unroute(WASM);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Event logs', exact: true })).toBeVisible();
  await hydrated(page);
  await expect(page).toHaveURL(/\/providers\/1\/manage\/events/);
});

test('in Dutch, the error and the retry are in Dutch', async ({ page, context }) => {
  await signIn(page, 'admin@demo.example');
  await context.addCookies([{ name: 'i18n_pref_locale', value: 'nl', url: page.url() }]);
  const alert = await followWithChunksCut(page, 'Hoofdnavigatie', 'Leden');
  await expect(alert).toContainText('Deze pagina kon niet worden geladen.');
  await expect(alert.getByRole('button', { name: 'Opnieuw proberen' })).toBeVisible();
});

test('a link clicked while the landing page waits for its chunk loads its page, and that page hydrates', async ({ page }) => {
  await signIn(page, 'service@demo.example');
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  // Hold the Clients page's chunk back until the link below has been clicked.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/split_provider_clients\.[^/]*\.wasm$/, async (route) => {
    await held;
    // The page that asked may be gone by now (the click loaded another).
    await route.continue().catch(() => {});
  });
  await page.goto('/providers/1/clients', { waitUntil: 'domcontentloaded' });
  await page.getByRole('link', { name: "My Client's Organization" }).click();
  release();
  await expect(page).toHaveURL(/\/organizations\/\d+$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: "My Client's Organization" })).toBeVisible();
  expect(errors, 'no error in the page').toEqual([]);
});
