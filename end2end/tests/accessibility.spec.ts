import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { hydrated, signIn } from './fixtures';

// Issue 19: axe-core runs on every page of the product, signed out, as a provider admin, as a
// service user in a client's Admin Console and in the Password Manager, at desktop and phone
// width, in the light and the dark theme (the system's, emulated), in English and Dutch. Any
// serious or critical violation fails the test, named with its page and the elements at fault.

const SIGNED_OUT = ['/', '/sign-in', '/register'];
const PROVIDER_ADMIN = [
  '/providers/1/clients',
  '/providers/1/clients?dialog=new-client',
  '/providers/1/manage/members',
  '/providers/1/manage/members?dialog=invite',
  '/providers/1/manage/events',
  '/providers/1/billing/subscription',
  '/providers/1/billing/history',
  '/providers/1/billing/information',
  '/providers/1/settings',
];
const SERVICE_USER = [
  '/organizations/1',
  '/organizations/1/members',
  '/organizations/1/events',
  '/organizations/1/billing/subscription',
  '/organizations/1/billing/information',
  '/organizations/1/settings',
  '/organizations/1/settings/policies',
];
const PASSWORD_MANAGER = ['/', '/memberships', '/account', '/organizations/new', '/providers/new'];

/** Serious and critical violations of `path`, one line each with the elements at fault. */
async function violations(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await hydrated(page);
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${path}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  // One h1 per page: what the page is, for a screen reader's heading list.
  const headings = await page.locator('h1').count();
  if (headings !== 1) found.push(`${path}: ${headings} h1 elements`);
  return found;
}

const COMBINATIONS = [
  { language: 'en', width: 1366, scheme: 'light' },
  { language: 'en', width: 1366, scheme: 'dark' },
  { language: 'en', width: 390, scheme: 'light' },
  { language: 'en', width: 390, scheme: 'dark' },
  { language: 'nl', width: 1366, scheme: 'light' },
  { language: 'nl', width: 390, scheme: 'dark' },
] as const;

const WHO = [
  { who: 'signed out', email: null, pages: SIGNED_OUT },
  { who: 'provider admin', email: 'admin@demo.example', pages: PROVIDER_ADMIN },
  { who: 'service user', email: 'service@demo.example', pages: SERVICE_USER },
  { who: 'Password Manager', email: 'service@demo.example', pages: PASSWORD_MANAGER },
] as const;

for (const { who, email, pages } of WHO) {
  for (const { language, width, scheme } of COMBINATIONS) {
    test(`axe: ${who}, ${language}, ${width} px, ${scheme}`, async ({ page, context, baseURL }) => {
      // Up to nine pages, each loaded, hydrated and analysed: 20 to 33 s on a 2-core machine
      // with the other worker busy, so the default 30 s would fail a page that is fine.
      test.setTimeout(120_000);
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await page.emulateMedia({ colorScheme: scheme });
      if (email !== null) await signIn(page, email);
      await context.addCookies([{ name: 'i18n_pref_locale', value: language, url: baseURL ?? page.url() }]);
      const found: string[] = [];
      for (const path of pages) found.push(...(await violations(page, path)));
      expect(found).toEqual([]);
    });
  }
}
