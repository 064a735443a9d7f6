import { expect, type Page } from '@playwright/test';

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

/** Signs in through the form and waits until the top bar shows the account. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Account' })).toBeVisible();
  // The page signed into hydrates next, and its i18n layer writes the locale cookie then: a
  // test that sets that cookie itself must come after, or the page overwrites it.
  await hydrated(page);
}

// The test command starts maildev (a real SMTP server) and the portal with SMTP_URL pointing
// at it; MAILDEV_URL is maildev's HTTP API, where the tests read what arrived.
const MAILDEV = process.env.MAILDEV_URL ?? 'http://127.0.0.1:1080';

export interface Mail {
  subject: string;
  text: string;
  to: { address: string }[];
}

/** The mail maildev received for `to`, waiting for it to arrive. */
export async function mailTo(to: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const mails: Mail[] = await (await fetch(`${MAILDEV}/email`)).json();
        found = mails.find((m) => m.to.some((a) => a.address === to));
        return found !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found as Mail;
}

