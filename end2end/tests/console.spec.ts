import { test, expect, type Page } from '@playwright/test';
import { hydrated, signIn, uniqueEmail } from './fixtures';

// A client's Admin Console on the demo data, as a service user administers it. These tests
// change My Client's Organization (members, seats), so the configuration runs this file after
// every other spec has read the seeds' figures; within the file, one test after the other.
test.describe.configure({ mode: 'serial' });

const CLIENTS = '/providers/1/clients';
const CLIENT = "My Client's Organization";

/** [assigned, used, remaining] of a client on the Clients page. */
async function figures(page: Page, name: string): Promise<string[]> {
  await page.goto(CLIENTS);
  await hydrated(page);
  const row = page.locator('table.data-table tbody tr').filter({ hasText: name });
  return (await row.locator('td').allInnerTexts()).slice(0, 3).map((t) => t.trim());
}

test('a service user administers a client: members, type, seats, revocation, event log, and back', async ({ page }) => {
  await signIn(page, 'service@demo.example');
  expect(await figures(page, CLIENT)).toEqual(['15', '1', '14']);

  // From the Clients page into the client's Admin Console; its frame names the provider.
  await page.getByRole('link', { name: CLIENT }).click();
  await expect(page.getByRole('heading', { name: CLIENT })).toBeVisible();
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.locator('.nav-context')).toContainText('Managed by Demo MSP');
  for (const section of ['Members', 'Event logs', 'Subscription', 'Billing information', 'Organization info']) {
    await expect(nav.getByRole('link', { name: section, exact: true })).toBeVisible();
  }

  // Invite a member.
  await nav.getByRole('link', { name: 'Members', exact: true }).click();
  await expect(page).toHaveURL(/\/organizations\/\d+\/members$/);
  await expect(page.getByText('1 of 15 seats used')).toBeVisible();
  const email = uniqueEmail('robin');
  await page.getByRole('link', { name: '+ Invite member' }).click();
  const invite = page.getByRole('dialog', { name: 'Invite members' });
  await invite.getByLabel('Email addresses').fill(email);
  await invite.getByRole('radio', { name: /^User/ }).check();
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(invite.getByText('1 invitations created.')).toBeVisible();
  await invite.locator('.modal-actions').getByRole('link', { name: 'Close' }).click();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Invited');
  await expect(page.getByText('2 of 15 seats used')).toBeVisible();

  // Change the member's type: Custom with one permission.
  await row.getByRole('button', { name: `Actions for ${email}` }).click();
  await page.getByRole('menuitem', { name: 'Edit type and permissions' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit type and permissions' });
  await edit.getByRole('radio', { name: /^Custom/ }).check();
  await expect(edit.getByRole('group', { name: 'Custom permissions' })).toBeVisible();
  await edit.getByRole('button', { name: 'Save' }).click();
  // Custom without a permission is refused next to the permissions.
  await expect(edit.getByText('This field is required.')).toBeVisible();
  await edit.getByLabel('Access event logs').check();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByText('The member type was changed.')).toBeVisible();
  await edit.locator('.modal-actions').getByRole('link', { name: 'Close' }).click();
  await expect(page.getByRole('row').filter({ hasText: email })).toContainText('Custom');
  expect(await figures(page, CLIENT)).toEqual(['15', '2', '13']);

  // Seats: 15 → 16; below the seats in use is refused next to the field.
  await page.getByRole('link', { name: CLIENT }).click();
  await hydrated(page);
  await nav.getByRole('link', { name: 'Subscription', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Subscription' })).toBeVisible();
  const seats = page.getByLabel('Assigned seats');
  await seats.fill('1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('2 seats are in use')).toBeVisible();
  await seats.fill('16');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('[data-figure=assigned]')).toHaveText('16');
  await expect(page.locator('[data-figure=remaining]')).toHaveText('14');
  expect(await figures(page, CLIENT)).toEqual(['16', '2', '14']);

  // Revoke: the seat is free again; the row stays under Revoked.
  await page.getByRole('link', { name: CLIENT }).click();
  await hydrated(page);
  await nav.getByRole('link', { name: 'Members', exact: true }).click();
  await page.getByRole('row').filter({ hasText: email }).getByRole('button', { name: `Actions for ${email}` }).click();
  await page.getByRole('menuitem', { name: 'Revoke access' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke access' });
  await expect(revoke.getByText(email)).toBeVisible();
  await revoke.getByRole('button', { name: 'Revoke access' }).click();
  await expect(revoke.getByText('1 done, 0 not changed.')).toBeVisible();
  await revoke.locator('.modal-actions').getByRole('link', { name: 'Close' }).click();
  await page.getByRole('link', { name: /^Revoked/ }).click();
  await expect(page.getByRole('row').filter({ hasText: email })).toContainText('Revoked');
  expect(await figures(page, CLIENT)).toEqual(['16', '1', '15']);

  // The event log has each step; the provider's log has the client's seat change too.
  await page.getByRole('link', { name: CLIENT }).click();
  await hydrated(page);
  await nav.getByRole('link', { name: 'Event logs', exact: true }).click();
  await expect(page).toHaveURL(/\/organizations\/\d+\/events/);
  const log = page.locator('table.events tbody');
  await expect(log).toContainText(`Invited ${email} to the organization`);
  await expect(log).toContainText(`Changed the type or permissions of ${email}`);
  await expect(log).toContainText(`Revoked the organization access of ${email}`);
  await expect(log).toContainText('(15 → 16)');

  // Back to the Provider Portal through the product switcher.
  await page.getByRole('button', { name: 'Switch product' }).click();
  await page.locator('#product-switcher [role=menuitem]').filter({ hasText: 'Demo MSP' }).click();
  await expect(page).toHaveURL(/\/providers\/1\/clients$/);
  await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();

  // Seats back to the seeds' figure, for anyone reading them later.
  await page.getByRole('link', { name: CLIENT }).click();
  await hydrated(page);
  await nav.getByRole('link', { name: 'Subscription', exact: true }).click();
  await page.getByLabel('Assigned seats').fill('15');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('[data-figure=assigned]')).toHaveText('15');
});

test('the Admin Console in Swedish', async ({ page, context }) => {
  await signIn(page, 'service@demo.example');
  await context.addCookies([{ name: 'i18n_pref_locale', value: 'sv', url: page.url() }]);
  await page.goto(CLIENTS);
  await page.getByRole('link', { name: CLIENT }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  const nav = page.getByRole('navigation', { name: 'Huvudnavigering' });
  await expect(nav.locator('.nav-context')).toContainText('Demo MSP');
  await nav.getByRole('link', { name: 'Medlemmar', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Medlemmar', exact: true })).toBeVisible();
  await expect(page.getByText('1 av 15 platser används')).toBeVisible();
  await expect(page.locator('table.data-table thead th')).toContainText(['Medlem', 'Typ', 'Status', 'Tvåstegsinloggning', 'Kontoåterställning']);
  await nav.getByRole('link', { name: 'Abonnemang', exact: true }).click();
  await expect(page.getByLabel('Tilldelade platser')).toHaveValue('15');
  await nav.getByRole('link', { name: 'Organisationsinformation', exact: true }).click();
  await expect(page.getByText('Faktureras via Demo MSP')).toBeVisible();
});

test('an organization that is not yours has no Admin Console for you', async ({ page }) => {
  await signIn(page, 'service@demo.example');
  await page.goto('/organizations/999999/members');
  await expect(page.getByText("You don't have access to this.")).toBeVisible();
});
