import { spawnSync } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { hydrated, registerAccount, registerWithProvider, uniqueEmail } from './fixtures';

// Keys the browser makes for providers and organizations (issue 21, VAULT.md §2).

/** `server provider create`, as an operator runs it, on the database the tested server uses;
 *  returns the new provider's id (from the command's log line). */
function providerFromCommandLine(name: string, adminEmail: string): number {
  const server = process.env.PORTAL_SERVER_BIN;
  const database = process.env.PORTAL_DB_FILE;
  if (!server || !database) throw new Error('PORTAL_SERVER_BIN and PORTAL_DB_FILE are set by the test command');
  const run = spawnSync(server, ['provider', 'create', '--name', name, '--admin-email', adminEmail], {
    env: { ...process.env, DATABASE_URL: `sqlite://${database}`, RUST_LOG: 'info' },
    encoding: 'utf8',
  });
  // The log is coloured on a terminal; the id is read without the colour codes.
  const said = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  expect(run.status, said).toBe(0);
  const id = said.match(/provider=(\d+)/)?.[1];
  expect(id, said).toBeTruthy();
  return Number(id);
}

test('a provider the command line made asks its admin to set up its key, once', async ({ page, browser }) => {
  const email = uniqueEmail('operator-msp');
  await registerAccount(page, email, 'Otto Operator');
  const provider = providerFromCommandLine(`Operator MSP ${Date.now()}`, email);

  // Its Clients page says what is missing and points the admin to Settings, where one click
  // makes the key in the browser.
  await page.goto(`/providers/${provider}/clients`);
  await hydrated(page);
  const notice = page.locator('.key-setup');
  await expect(notice.getByRole('heading', { name: "Set up the provider's encryption key" })).toBeVisible();
  await notice.getByRole('link', { name: 'Set up the key' }).click();
  await expect(page).toHaveURL(new RegExp(`/providers/${provider}/settings#encryption-key$`));
  const setup = page.locator('#encryption-key');
  await setup.getByRole('button', { name: 'Set up the key' }).click();
  await expect(setup).toHaveCount(0);
  // Made once: after a reload neither page asks again.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.locator('.key-setup')).toHaveCount(0);
  await page.goto(`/providers/${provider}/clients`);
  await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
  await expect(page.locator('.key-setup')).toHaveCount(0);

  // A provider set up in the browser has its key from the start.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await registerWithProvider(otherPage, 'Bea Browser', `Browser MSP ${Date.now()}`);
  await expect(otherPage.locator('.key-setup')).toHaveCount(0);
  await other.close();
});
