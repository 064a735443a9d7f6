import { test, expect, type Page } from '@playwright/test';
import { hydrated, PASSWORD, uniqueEmail } from './fixtures';


async function register(page: Page, email: string, name: string): Promise<void> {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test('register, see only the Password Manager, sign out, sign in after a wrong password', async ({ page }) => {
  const email = uniqueEmail('ann');
  await register(page, email, 'Ann Admin');
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

test('registration problems are shown next to their fields', async ({ page }) => {
  const email = uniqueEmail('dup');
  await register(page, email, 'First');
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('First');
  await page.context().clearCookies();

  await register(page, email.toUpperCase(), 'Second');
  await expect(page.locator('#field-email-error')).toHaveText('An account with this email address already exists.');

  await page.getByLabel('Password', { exact: true }).fill('short pass');
  await page.getByLabel('Repeat the password').fill('short pass');
  // The browser's own minlength check runs first; the server says the same without it.
  await page.locator('form[action$="/register"]').evaluate((form) => form.setAttribute('novalidate', ''));
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-password-error')).toHaveText('Use at least 12 characters.');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('registering and signing out work as plain forms', async ({ page }) => {
    await page.goto('/register');
    await page.getByLabel('Email address').fill(uniqueEmail('nojs'));
    await page.getByLabel('Name').fill('No Script');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('button', { name: 'Account' })).toContainText('No Script');
  });
});
