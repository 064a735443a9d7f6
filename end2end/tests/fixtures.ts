import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { TOTP, Secret } from 'otpauth';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** EFF's long word list, the one fingerprint phrases are drawn from (the repository's copy). */
const EFF_WORDS = new Set(
  readFileSync(join(__dirname, '../../app/crypto/src/eff_large_wordlist.txt'), 'utf8').split('\n').filter(Boolean),
);

/** Whether `phrase` is exactly five words of EFF's list joined by hyphens. Four words of the list
 *  hold a hyphen themselves ("yo-yo", "t-shirt"...), so the phrase is split every way it can be. */
export function isFingerprintPhrase(phrase: string): boolean {
  const parts = phrase.split('-');
  // ways[i]: the word counts with which parts[0..i] can be read as list words.
  const ways: Set<number>[] = parts.map(() => new Set<number>());
  const counts = (end: number): Set<number> => (end < 0 ? new Set([0]) : ways[end]);
  for (let end = 0; end < parts.length; end++) {
    for (let start = end; start >= Math.max(0, end - 1); start--) {
      if (!EFF_WORDS.has(parts.slice(start, end + 1).join('-'))) continue;
      for (const n of counts(start - 1)) ways[end].add(n + 1);
    }
  }
  return parts.length > 0 && ways[parts.length - 1].has(5);
}

/** Waits until `locator` shows a fingerprint phrase and returns it. */
export async function fingerprintPhraseOf(locator: Locator): Promise<string> {
  await expect(locator).toHaveText(/^[a-z]+(-[a-z]+){4,}$/);
  const phrase = (await locator.textContent()) ?? '';
  expect(isFingerprintPhrase(phrase), `"${phrase}" is five words of EFF's list`).toBe(true);
  return phrase;
}

/** Waits until the wasm bundle has hydrated the page (the shell sets this attribute). */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** The password of the demo accounts (the test command sets DEMO_PASSWORD to it) and of the
 *  accounts the tests register. */
export const PASSWORD = 'correct horse battery staple';

/** An address no other test (or earlier run on the same database) uses. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Sends the sign-in form without waiting for what comes next (a second step may). */
export async function submitSignIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The portal's address, as the config gives it to every page. */
const BASE_URL = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';

/** Signs `page` in for tests run with JavaScript off. Signing in needs the bundle (the browser
 *  turns the password into the login hash it sends, VAULT.md §2), so a context with JavaScript
 *  signs in and this one takes its session cookie: every page after that needs no script. */
export async function signInWithoutScript(page: Page, email: string): Promise<void> {
  const browser = page.context().browser();
  if (browser === null) throw new Error('the page has no browser');
  const helper = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: true });
  try {
    await signIn(await helper.newPage(), email);
    await page.context().addCookies(await helper.cookies());
  } finally {
    await helper.close();
  }
}

/** Signs in through the form and waits until the top bar shows the account. */
export async function signIn(page: Page, email: string): Promise<void> {
  await submitSignIn(page, email);
  await expect(page.getByRole('button', { name: 'Account' })).toBeVisible();
  // The page signed into hydrates next, and its i18n layer writes the locale cookie then: a
  // test that sets that cookie itself must come after, or the page overwrites it.
  await hydrated(page);
}

/** Signs in through the form, heading for `path` (`?redirect_to=`); the page lands there
 *  without a reload, so the keys the sign-in opened stay unlocked. */
export async function signInTo(page: Page, email: string, path: string, password = PASSWORD): Promise<void> {
  await page.goto(`/sign-in?redirect_to=${encodeURIComponent(path)}`);
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs out through the account menu and waits for the visitor's top bar. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

/** Another device: a browser context of its own, signed in as `email`. */
export async function newSignedInPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** The authenticator app's code for `secret`, `offsetSteps` periods of 30 s from now. */
export function totpCode(secret: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

// The test command starts maildev (a real SMTP server) and the portal with SMTP_URL pointing
// at it; MAILDEV_URL is maildev's HTTP API, where the tests read what arrived.
const MAILDEV = process.env.MAILDEV_URL ?? 'http://127.0.0.1:1080';

export interface Mail {
  subject: string;
  text: string;
  to: { address: string }[];
}

/** The mail maildev received for `to` (with that subject, when given), waiting for it to
 *  arrive. */
export async function mailTo(to: string, subject?: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const mails: Mail[] = await (await fetch(`${MAILDEV}/email`)).json();
        found = mails.find(
          (m) => m.to.some((a) => a.address === to) && (subject === undefined || m.subject === subject),
        );
        return found !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found as Mail;
}

/** The first link in a mail's text with this path (`/verify-email/`, `/invitations/`), as a
 *  path on the portal. */
export function linkIn(mail: Mail, path: string): string {
  const match = mail.text.match(new RegExp(`https?://[^\\s/]+(${path}[^\\s]+)`));
  expect(match, `a ${path} link in: ${mail.text}`).not.toBeNull();
  return (match as RegExpMatchArray)[1];
}

/** Fills the registration form (the page must be open) and sends it. */
export async function fillRegistration(page: Page, email: string, name: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Registers a new account as a visitor does with mail on: the form, "check your inbox",
 *  the mailed link, Confirm. Ends signed in, on the page the registration was heading for. */
export async function registerAccount(page: Page, email: string, name: string): Promise<void> {
  await page.goto('/register');
  await hydrated(page);
  await fillRegistration(page, email, name);
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  await confirmMailedLink(page, email);
  await expect(page.getByRole('button', { name: 'Account' })).toContainText(name);
}

/** Registers `person` (with a fresh address unless `email` is given) and sets up a provider
 *  of their own (other tests work in the demo provider at the same time). Ends on its Clients
 *  page. */
export async function registerWithProvider(
  page: Page,
  person: string,
  providerName: string,
  email: string = uniqueEmail('msp'),
): Promise<{ email: string; provider: number }> {
  await registerAccount(page, email, person);
  await page.goto('/providers/new');
  await hydrated(page);
  await page.getByLabel('Provider name').fill(providerName);
  await page.getByRole('button', { name: 'Set up provider' }).click();
  await expect(page).toHaveURL(/\/providers\/\d+\/clients$/);
  await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
  return { email, provider: Number(page.url().match(/\/providers\/(\d+)\//)?.[1]) };
}

/** Opens the verification link mailed to `email` and confirms it. */
export async function confirmMailedLink(page: Page, email: string): Promise<void> {
  const mail = await mailTo(email, 'Confirm your email address');
  await page.goto(linkIn(mail, '/verify-email/'));
  await hydrated(page);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('button', { name: 'Account' })).toBeVisible();
  await hydrated(page);
}


/** Unlocks the account page's keys with `password` (the page must be open and locked); returns
 *  the fingerprint phrase it shows, the one an admin compares at Confirm. */
export async function unlockAccountKeys(page: Page, password: string): Promise<string> {
  const keys = page.locator('section', { has: page.locator('#keys-heading') });
  await expect(keys.getByTestId('keys-locked')).toBeVisible();
  await keys.getByLabel('Master password').fill(password);
  await keys.getByRole('button', { name: 'Unlock' }).click();
  return fingerprintPhraseOf(keys.getByTestId('fingerprint'));
}

/** Opens an invitation `link` in `page` (a browser context of its own), creates the account it
 *  names as `name` and accepts; ends on the Password Manager's memberships page. */
export async function registerFromInvitation(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await hydrated(page);
  await page.locator('#main').getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/invitations\//);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page).toHaveURL(/\/memberships$/);
}

/** Confirms `email` from the Members page open in `admin` (its Accepted tab): the dialog must
 *  show `phrase`, the member's fingerprint phrase; the admin's master password opens the key. */
export async function confirmMember(admin: Page, email: string, phrase: string): Promise<void> {
  await admin.getByRole('row').filter({ hasText: email }).getByRole('button', { name: `Actions for ${email}` }).click();
  await admin.getByRole('menuitem', { name: 'Confirm' }).click();
  const confirm = admin.getByRole('dialog', { name: 'Confirm members' });
  await expect(confirm.getByTestId('member-fingerprint')).toHaveText(phrase);
  await confirm.getByLabel('Master password').fill(PASSWORD);
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(confirm.getByText('1 done, 0 not changed.')).toBeVisible();
}
