import { test, expect } from '@playwright/test';
import { hydrated, registerAccount, uniqueEmail } from './fixtures';

const englishTitle = "Administer your clients' password managers";
const dutchTitle = 'Beheer de wachtwoordbeheerders van je klanten';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the home page is server-rendered', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(englishTitle);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', /.*/);
  });

  test('the language menu still works as a form', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Change language' }).click();
    await page.getByRole('menuitemradio', { name: 'Nederlands' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(dutchTitle);
  });
});

test('the page hydrates and its controls work', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  const button = page.getByRole('button', { name: 'Change language' });
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('menuitemradio', { name: 'English' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await expect(button).toBeFocused();
});

test('switching to Nederlands changes the texts in place and survives a reload', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(englishTitle);
  // A marker on window proves the switch happened without a page load.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await page.getByRole('button', { name: 'Change language' }).click();
  await page.getByRole('menuitemradio', { name: 'Nederlands' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(dutchTitle);
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(dutchTitle);
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByRole('button', { name: 'Taal wijzigen' })).toBeVisible();
});

test('the language menu works with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  const button = page.getByRole('button', { name: 'Change language' });
  await button.focus();
  await page.keyboard.press('ArrowDown');
  const items = page.getByRole('menuitemradio');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(items.last()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(items.last()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');
});

test('an unknown address shows the translated 404 page', async ({ page, context }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  // Hydration writes the page's locale cookie: the test's own comes after it, or hydration
  // (late on a loaded machine) overwrites it and the next page is in English.
  await hydrated(page);

  // Site-wide, as the app itself stores it (it replaces the cookie hydration wrote).
  await context.addCookies([{ name: 'i18n_pref_locale', value: 'nl', url: new URL('/', page.url()).href }]);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pagina niet gevonden');
  await page.getByRole('link', { name: 'Naar de startpagina' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(dutchTitle);
});

// Issue 19: a theme chosen in the account menu, kept with the account and rendered by the
// server (the page never flashes in the other theme while the bundle loads).
test('the theme chosen in the account menu applies at once and stays with the account', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await registerAccount(page, uniqueEmail('theme'), 'Theo Theme');
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const choose = async (name: string) => {
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('menuitemradio', { name }).click();
  };
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(await background()).toBe('rgb(18, 22, 29)');

  await choose('Light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe('rgb(244, 246, 249)');
  await page.getByRole('button', { name: 'Account' }).click();
  await expect(page.getByRole('menuitemradio', { name: 'Light' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Escape');
  // The server renders the choice into the page itself.
  const html = await (await page.request.get('/account')).text();
  expect(html).toMatch(/<html[^>]*data-theme="light"/);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  await choose('Dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background()).toBe('rgb(18, 22, 29)');

  await choose('Same as the system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(await background()).toBe('rgb(244, 246, 249)');
});
