import { test, expect } from '@playwright/test';
import {
  fillRegistration,
  hydrated,
  linkIn,
  mailTo,
  PASSWORD,
  registerAccount,
  uniqueEmail,
} from './fixtures';

test('register, see only the Password Manager, sign out, sign in after a wrong password', async ({ page }) => {
  const email = uniqueEmail('ann');
  await registerAccount(page, email, 'Ann Admin');
  await expect(page).toHaveURL(/\/$/);
  const account = page.getByRole('button', { name: 'Account' });
  await expect(account).toContainText('Ann Admin');

  // The switcher offers the Password Manager and nothing else to a new account.
  await hydrated(page);
  await page.getByRole('button', { name: 'Switch product' }).click();
  const products = page.locator('#product-switcher [role=menuitem]');
  await expect(products).toHaveCount(1);
  await expect(products.first()).toHaveText('Password Manager');
  await page.keyboard.press('Escape');

  await account.click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The email address or password is incorrect.' })).toBeVisible();

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('Ann Admin');
});

test('registering a taken address answers the same and tells its owner', async ({ page }) => {
  const email = uniqueEmail('dup');
  await registerAccount(page, email, 'First');
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('First');
  await page.context().clearCookies();

  // The same answer as for a new address: whoever registers learns nothing.
  await page.goto('/register');
  await hydrated(page);
  await fillRegistration(page, email.toUpperCase(), 'Second');
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  await expect(page.getByText(`We sent a link to ${email.toUpperCase()}.`)).toBeVisible();
  // The owner is told instead.
  const notice = await mailTo(email, 'You already have an account');
  expect(notice.text).toContain('Someone tried to create a Provider Portal account with this address');

  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Password', { exact: true }).fill('short pass');
  await page.getByLabel('Repeat the password').fill('short pass');
  // No check of the browser's own steps in first: the page's message answers.
  await expect(page.locator('form :invalid')).toHaveCount(0);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-password-error')).toHaveText('Use at least 12 characters.');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('registering and signing in say they need JavaScript; a mailed link confirms as a plain form', async ({
    page,
    browser,
  }) => {
    // The password never leaves the browser, which needs the bundle to turn it into keys: the
    // forms say so and cannot be sent.
    for (const [path, button] of [
      ['/register', 'Create account'],
      ['/sign-in', 'Sign in'],
    ]) {
      await page.goto(path);
      // A browser with scripting off shows the <noscript> notice (Playwright's text locators
      // skip <noscript>, so the page's markup is read).
      expect(await page.content()).toMatch(/<noscript>[^]*This form needs JavaScript[^]*<\/noscript>/);
      await expect(page.getByRole('button', { name: button })).toBeDisabled();
    }
    // Registered where JavaScript runs, the mailed link's page confirms with a plain form and
    // signs the new account in.
    const email = uniqueEmail('nojs');
    const withScript = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    await withScript.goto('/register');
    await hydrated(withScript);
    await fillRegistration(withScript, email, 'No Script');
    await expect(withScript.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
    const mail = await mailTo(email, 'Confirm your email address');
    await page.goto(linkIn(mail, '/verify-email/'));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('button', { name: 'Account' })).toContainText('No Script');
  });
});

test('a verification link works once', async ({ page, browser }) => {
  const email = uniqueEmail('once');
  await registerAccount(page, email, 'Olive Once');
  const other = await (await browser.newContext()).newPage();
  const mail = await mailTo(email, 'Confirm your email address');
  await other.goto(linkIn(mail, '/verify-email/'));
  await hydrated(other);
  await other.getByRole('button', { name: 'Confirm' }).click();
  await expect(other.getByRole('alert')).toContainText('This verification link was already used.');
});
