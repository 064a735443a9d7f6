import { test, expect, type Page } from '@playwright/test';
import { hydrated, PASSWORD, registerWithProvider } from './fixtures';

// Billing on a provider of its own (other tests add clients to the demo provider while this
// one runs): the subscription's totals follow the clients' seats (DESIGN.md rule 8, with the
// default minimums of 10 seats and prices of 4.00 and 6.00 per seat).

/** Adds a client through the dialog; `locked`: the tab's keys are not open yet, so the dialog
 *  asks for the master password (the first time only: it unlocks the tab). */
async function newClient(page: Page, name: string, plan: string, seats: string, locked: boolean): Promise<void> {
  await page.getByRole('link', { name: '+ New client' }).click();
  const dialog = page.getByRole('dialog', { name: 'New client' });
  await dialog.getByLabel('Organization name').fill(name);
  await dialog.getByLabel('Plan').selectOption(plan);
  await dialog.getByLabel('Seats').fill(seats);
  await dialog.getByLabel("Client owner's email").fill(`owner@${name.toLowerCase().replace(/\W/g, '')}.example`);
  await expect(dialog.getByLabel('Master password')).toHaveCount(locked ? 1 : 0);
  if (locked) await dialog.getByLabel('Master password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Create client' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('link', { name })).toBeVisible();
}

test('the subscription follows the clients\' seats, and billing information is validated', async ({ page }) => {
  const { provider } = await registerWithProvider(page, 'Bea Billing', 'Ledger MSP');
  await hydrated(page);
  await newClient(page, 'Aster Teams', 'teams', '4', true);
  await newClient(page, 'Birch Enterprise', 'enterprise', '12', false);

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Subscription' }).click();
  await expect(page).toHaveURL(new RegExp(`/providers/${provider}/billing/subscription$`));
  const rows = page.locator('table.subscription tbody tr');
  // Plan, minimum, assigned, purchased, price, monthly.
  await expect(rows.nth(0)).toHaveText(/Teams\s*10\s*4\s*0\s*4\.00\s*40\.00/);
  await expect(rows.nth(1)).toHaveText(/Enterprise\s*10\s*12\s*2\s*6\.00\s*72\.00/);
  await expect(page.locator('table.subscription tfoot')).toContainText('112.00');
  await expect(page.getByText('Provider Portal does not collect payments')).toBeVisible();

  // No invoice yet: the month is not over.
  await page.getByRole('link', { name: 'Billing history' }).click();
  await expect(page.getByText('No invoices yet.')).toBeVisible();

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Billing information' }).click();
  await hydrated(page);
  await page.getByLabel('Tax id (VAT)').fill('<script>');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#field-tax_id-error')).toHaveText('Use only letters, digits, spaces, dots, dashes and slashes.');
  await page.getByLabel('Tax id (VAT)').fill('NL 8594.32.711.B01');
  await page.getByLabel('Billing address').fill('Keizersgracht 1\n1015 CN Amsterdam');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Tax id (VAT)')).toHaveValue('NL 8594.32.711.B01');
  await expect(page.getByLabel('Billing address')).toHaveValue('Keizersgracht 1\n1015 CN Amsterdam');
});
