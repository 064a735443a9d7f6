import { test, expect, type Page, type Browser } from '@playwright/test';
import { TOTP, Secret } from 'otpauth';
import { hydrated } from './fixtures';

const PASSWORD = 'correct horse battery staple';

function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function register(page: Page, email: string, name: string): Promise<void> {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Account' })).toContainText(name);
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function codeFor(secret: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

test('the strength of a new password is shown while typing', async ({ page }) => {
  await page.goto('/register');
  await hydrated(page);
  const strength = page.locator('.strength-label');
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await expect(strength).toHaveText(/Strength: (very weak|weak)/);
  await page.getByLabel('Password', { exact: true }).fill('violet kettle marches sideways at dawn');
  await expect(strength).toHaveText('Strength: strong');

  // The server refuses what the meter calls weak, with the reason next to the field.
  await page.getByLabel('Email address').fill(uniqueEmail('weak'));
  await page.getByLabel('Name').fill('Weak Password');
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await page.getByLabel('Repeat the password').fill('password1234');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-password-error')).toHaveText(
    'This password is too easy to guess. Add more words or characters.',
  );
});

test('two-step login: turn on, sign in with a code, then with the recovery code', async ({ page }) => {
  const email = uniqueEmail('totp');
  await register(page, email, 'Tina Totp');

  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Account settings' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('#two-step-heading + p')).toContainText('Off');
  await page.getByRole('link', { name: 'Turn on two-step login' }).click();
  await expect(page).toHaveURL(/\/account\/two-step$/);
  await hydrated(page);
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await page.locator('code.secret').textContent())!.trim();

  // A wrong code is refused next to the field; nothing is turned on.
  await page.getByLabel('Verification code').fill('000000' === codeFor(secret) ? '111111' : '000000');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await expect(page.locator('#field-code-error')).toHaveText('This is not correct.');

  await page.getByLabel('Verification code').fill(codeFor(secret));
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  const recovery = (await page.getByTestId('recovery-code').textContent())!.trim();
  expect(recovery).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$/);

  // Signing in now asks for a code; the next step's code is fresh (the first was used).
  await page.context().clearCookies();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/sign-in\/two-step/);
  await hydrated(page);
  await page.getByLabel('Verification code').fill('12345x');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#field-code-error')).toHaveText('This is not correct.');
  await page.getByLabel('Verification code').fill(codeFor(secret, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('Tina Totp');

  // The recovery code signs in and turns two-step login off; the account page says so.
  await page.context().clearCookies();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/sign-in\/two-step/);
  await hydrated(page);
  await page.getByLabel('Verification code').fill(recovery.toLowerCase());
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('#two-step-heading + p')).toContainText('Off');
});

async function newSignedInPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page.getByRole('button', { name: 'Account' })).toBeVisible();
  return page;
}

test('sessions are listed and another device can be signed out', async ({ page, browser }) => {
  const email = uniqueEmail('sessions');
  await register(page, email, 'Sam Sessions');
  const other = await newSignedInPage(browser, email);

  await page.goto('/account');
  await hydrated(page);
  const rows = page.locator('#sessions-heading ~ table tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'This device' })).toHaveCount(1);
  await rows.filter({ hasNotText: 'This device' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(rows).toHaveCount(1);

  await other.reload();
  await expect(other.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await other.context().close();
});

test('changing the password keeps this session and ends the others', async ({ page, browser }) => {
  const email = uniqueEmail('chpw');
  await register(page, email, 'Pat Password');
  const other = await newSignedInPage(browser, email);

  await page.goto('/account');
  await hydrated(page);
  const form = page.locator('section', { has: page.locator('#password-heading') });
  await form.getByLabel('Current password').fill('not it at all, sorry');
  await form.getByLabel('New password').fill('a brand new passphrase for pat');
  await form.getByLabel('Repeat the password').fill('a brand new passphrase for pat');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#field-current_password-error')).toHaveText('This is not correct.');

  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await expect(page.locator('#sessions-heading ~ table tbody tr')).toHaveCount(1);

  await other.reload();
  await expect(other.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await other.context().close();
});

test('the product switcher follows the menu-button keyboard pattern', async ({ page }) => {
  await register(page, uniqueEmail('keys'), 'Kim Keys');
  await hydrated(page);
  const button = page.getByRole('button', { name: 'Switch product' });
  await button.focus();
  await page.keyboard.press('Enter');
  const first = page.locator('#product-switcher [role=menuitem]').first();
  await expect(first).toBeFocused();
  await expect(first).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('ArrowDown'); // wraps around a one-item menu
  await expect(first).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.locator('#product-switcher')).toBeHidden();
  await expect(button).toBeFocused();
  await page.keyboard.press(' ');
  await expect(first).toBeFocused();
});

test('the account page asks visitors to sign in and returns them afterwards', async ({ page }) => {
  const email = uniqueEmail('return');
  await register(page, email, 'Ray Return');
  await page.context().clearCookies();
  await page.goto('/account');
  await page.getByRole('link', { name: 'Sign in' }).last().click();
  await expect(page).toHaveURL(/redirect_to=%2Faccount/);
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Account settings' })).toBeVisible();
});
