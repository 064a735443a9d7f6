import { test, expect, type Page } from '@playwright/test';
import { hydrated, PASSWORD, registerWithProvider, signIn, signInWithoutScript } from './fixtures';

// The server loads the demo data into the test command's brand-new database (with
// DEMO_PASSWORD set): "Demo MSP" is provider 1, with the seeds' three clients.
const DEMO_CLIENTS = '/providers/1/clients';

/** The table's rows as [client, assigned, used, remaining, plan]. */
async function rows(page: Page): Promise<string[][]> {
  const body = page.locator('table.data-table tbody tr');
  return body.evaluateAll((trs) =>
    trs.map((tr) =>
      Array.from(tr.querySelectorAll('th, td'))
        .slice(0, 5)
        .map((cell) => (cell.querySelector('.client-name')?.textContent ?? cell.textContent ?? '').trim()),
    ),
  );
}

const SEEDS = [
  ["My Client's Organization", '15', '1', '14', 'Enterprise'],
  ["Second Client's Organization", '20', '1', '19', 'Teams'],
  ["Third Client's Organization", '10', '1', '9', 'Enterprise'],
];

test("the seeds' three clients, sorted by each column, searched", async ({ page }) => {
  await signIn(page, 'admin@demo.example');
  await page.goto(DEMO_CLIENTS);
  await hydrated(page);
  await expect(page.locator('table.data-table tbody tr')).toHaveCount(3);
  expect(await rows(page)).toEqual(SEEDS);
  await expect(page.locator('.initials').first()).toHaveText('MC');

  // Anywhere in the header cell sorts: the click lands in its corner, away from the label
  // (right-aligned in the number columns).
  const sortBy = async (column: string) => {
    const link = page.locator(`a.sort-link[data-column="${column.toLowerCase().replace('client', 'name')}"]`);
    await page.locator('th', { has: link }).click({ position: { x: 2, y: 2 } });
  };
  await sortBy('Assigned');
  await expect(page).toHaveURL(/sort=assigned/);
  await expect.poll(async () => (await rows(page)).map((r) => r[1])).toEqual(['10', '15', '20']);
  await sortBy('Assigned');
  await expect(page).toHaveURL(/dir=desc/);
  await expect.poll(async () => (await rows(page)).map((r) => r[1])).toEqual(['20', '15', '10']);
  await sortBy('Used');
  // Equal values keep the stable order: by name.
  await expect.poll(async () => (await rows(page)).map((r) => r[0])).toEqual(SEEDS.map((r) => r[0]));
  await sortBy('Remaining');
  await expect.poll(async () => (await rows(page)).map((r) => r[3])).toEqual(['9', '14', '19']);
  await sortBy('Plan');
  await expect.poll(async () => (await rows(page)).map((r) => r[4])).toEqual(['Enterprise', 'Enterprise', 'Teams']);
  await sortBy('Client');
  await sortBy('Client');
  await expect.poll(async () => (await rows(page)).map((r) => r[0][0])).toEqual(['T', 'S', 'M']);

  // Search is server-side and lands in the URL: reload and back keep it.
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('SECOND');
  await expect(page).toHaveURL(/q=SECOND/);
  await expect(page.locator('table.data-table tbody tr')).toHaveCount(1);
  await page.reload();
  await expect(page.locator('table.data-table tbody tr')).toHaveCount(1);
  await expect(page.getByRole('searchbox', { name: 'Search clients' })).toHaveValue('SECOND');
  await page.getByRole('searchbox', { name: 'Search clients' }).fill('no such client');
  await expect(page.getByText('No clients match your search.')).toBeVisible();
});

// Issue 19: a signed-out visitor who opens a protected address is sent to sign in, and comes
// back to that very address (its query included) afterwards.
test('a signed-out visitor is sent to sign in and brought back to the Clients page', async ({ page }) => {
  const response = await page.goto(`${DEMO_CLIENTS}?sort=plan&dir=desc`);
  await expect(page).toHaveURL(/\/sign-in\?redirect_to=/);
  expect(response?.request().redirectedFrom()?.url()).toContain(`${DEMO_CLIENTS}?sort=plan`);
  await hydrated(page);
  await page.getByLabel('Email address').fill('admin@demo.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${DEMO_CLIENTS}\\?sort=plan&dir=desc$`));
  await expect(page.getByRole('heading', { name: 'Clients', exact: true })).toBeVisible();
});

test('a service user opens a client but sees no admin actions', async ({ page }) => {
  await signIn(page, 'service@demo.example');
  await page.goto(DEMO_CLIENTS);
  await hydrated(page);
  await expect(page.locator('table.data-table tbody tr')).toHaveCount(3);
  await expect(page.getByRole('link', { name: '+ New client' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '+ Add existing organization' })).toHaveCount(0);
  // The row menu, with the keyboard: no Unlink.
  await page.getByRole('button', { name: "Actions for Second Client's Organization" }).focus();
  await page.keyboard.press('Enter');
  const items = page.locator('#client-menu-2 [role=menuitem]');
  await expect(items).toHaveText(['Open Admin Console', 'Update name', 'Manage subscription']);
  // A dialog opened from the menu by keyboard: Escape closes it and focus is back on ⋮.
  // (The menu moves focus to its first item once open; a key pressed before that goes nowhere.)
  await expect(items.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Update name' });
  await expect(dialog.getByRole('textbox')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: "Actions for Second Client's Organization" })).toBeFocused();
  // The dialog's URL opened by hand is refused as well.
  await page.goto(`${DEMO_CLIENTS}?dialog=new-client`);
  await expect(page.getByRole('dialog').getByText("You don't have access to this.")).toBeVisible();

  await page.goto(DEMO_CLIENTS);
  await page.getByRole('link', { name: "Third Client's Organization" }).click();
  await expect(page.getByRole('heading', { name: "Third Client's Organization" })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByText('Managed by')).toContainText('Demo MSP');
  await nav.getByRole('link', { name: 'Demo MSP' }).click();
  await expect(page).toHaveURL(/\/providers\/1\/clients$/);
});

test('the Clients page in Dutch', async ({ page, context }) => {
  await signIn(page, 'service@demo.example');
  await context.addCookies([{ name: 'i18n_pref_locale', value: 'nl', url: page.url() }]);
  await page.goto(DEMO_CLIENTS);
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByRole('heading', { name: 'Klanten', exact: true })).toBeVisible();
  const headers = page.locator('table.data-table thead th a');
  await expect(headers).toHaveText([/Klant/, /Toegewezen/, /Gebruikt/, /Resterend/, /Abonnement/]);
});

test('new client end to end, without a reload', async ({ page }) => {
  await registerWithProvider(page, 'Morgan MSP', 'Fresh MSP');
  await hydrated(page);
  await expect(page.getByText('No clients yet')).toBeVisible();
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await page.getByRole('link', { name: '+ New client' }).click();
  const dialog = page.getByRole('dialog', { name: 'New client' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Organization name')).toBeFocused();
  // Bad input first: the product's own messages next to the fields, nothing created. The
  // browser's checks never step in (they would answer in a bubble, in its own language).
  await dialog.getByLabel('Organization name').fill('   ');
  await dialog.getByLabel('Seats').fill('0');
  await dialog.getByLabel("Client owner's email").fill('nobody');
  await expect(dialog.locator(':invalid')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Create client' }).click();
  await expect(dialog.locator('#field-name-error')).toHaveText('This field is required.');
  await expect(dialog.locator('#field-seats-error')).toHaveText('Use at least 1.');
  await expect(dialog.locator('#field-owner_email-error')).toHaveText('Enter a valid email address.');

  await dialog.getByLabel('Organization name').fill('Fjord Dental');
  await dialog.getByLabel('Plan').selectOption('enterprise');
  await dialog.getByLabel('Seats').fill('12');
  await dialog.getByLabel("Client owner's email").fill('owner@fjord.example');
  // The tab is locked (the account was confirmed by its mailed link, then pages loaded): the
  // client's key is made under the provider's key, which the master password opens. A wrong
  // one is told at its field, nothing created.
  await dialog.getByLabel('Master password').fill('not my master password');
  await dialog.getByRole('button', { name: 'Create client' }).click();
  await expect(dialog.locator('#field-current_password-error')).toHaveText('This is not correct.');
  await expect(page.getByText('No clients yet')).toBeVisible();
  await dialog.getByLabel('Master password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Create client' }).click();
  await expect(dialog).toHaveCount(0);
  await expect.poll(() => rows(page)).toEqual([['Fjord Dental', '12', '1', '11', 'Enterprise']]);
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);

  // Manage subscription: below Used is refused with the reason, then a valid change.
  await page.getByRole('button', { name: 'Actions for Fjord Dental' }).click();
  await page.getByRole('menuitem', { name: 'Manage subscription' }).click();
  const seats = page.getByRole('dialog', { name: 'Manage subscription' });
  await seats.getByLabel('Seats').fill('0');
  await expect(seats.locator(':invalid')).toHaveCount(0);
  await seats.getByRole('button', { name: 'Save' }).click();
  await expect(seats.locator('#field-seats-error')).toHaveText('Use at least 1.');
  await seats.getByLabel('Seats').fill('20');
  await seats.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => rows(page)).toEqual([['Fjord Dental', '20', '1', '19', 'Enterprise']]);
});

test('add existing organization appears only when eligible and disappears when used up', async ({ page }) => {
  await registerWithProvider(page, 'Morgan MSP', 'Owner MSP');
  const clients = page.url();
  await expect(page.getByRole('link', { name: '+ Add existing organization' })).toHaveCount(0);

  // A Families organization is not eligible; a Teams one is.
  for (const [name, plan, seats] of [['Family Vault', 'Families', '4'], ['Acme Retail', 'Teams', '7']]) {
    await page.goto('/organizations/new');
    await hydrated(page);
    await page.getByLabel('Organization name').fill(name);
    await page.getByLabel(plan, { exact: true }).check();
    await page.getByLabel('Seats').fill(seats);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page.getByRole('heading', { name })).toBeVisible();
  }

  await page.goto(clients);
  await hydrated(page);
  await page.getByRole('link', { name: '+ Add existing organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add existing organization' });
  await expect(dialog.locator('.eligible-name')).toHaveText(['Acme Retail']);
  // Adding hands the organization's key to the provider: this browser opens both keys, so the
  // reloaded (locked) tab asks for the master password first.
  await dialog.getByLabel('Master password').fill('not my master password');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog.getByText('This is not correct.')).toBeVisible();
  await dialog.getByLabel('Master password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toHaveCount(0);
  await expect.poll(() => rows(page)).toEqual([['Acme Retail', '7', '1', '6', 'Teams']]);
  await expect(page.getByRole('link', { name: '+ Add existing organization' })).toHaveCount(0);
});

// Closing a dialog is a button (announced as one), and it keeps the list's place: search and
// sort stay in the address, only the dialog leaves it.
test("a dialog's Cancel and × are buttons that keep the list's place", async ({ page }) => {
  await signIn(page, 'admin@demo.example');
  await page.goto(`${DEMO_CLIENTS}?q=Client%27s&sort=remaining&dialog=new-client`);
  await hydrated(page);
  const dialog = page.getByRole('dialog', { name: 'New client' });
  await expect(dialog.getByRole('link')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL(/q=Client%27s/);
  await expect(page).toHaveURL(/sort=remaining/);
  await expect(page).not.toHaveURL(/dialog=/);
  await page.goto(`${DEMO_CLIENTS}?sort=plan&dialog=add-existing`);
  await hydrated(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).first().click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page).toHaveURL(/sort=plan/);
  await expect(page).not.toHaveURL(/dialog=/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test("a dialog's Cancel is a button that returns to the list as it was", async ({ page }) => {
    await signInWithoutScript(page, 'admin@demo.example');
    await page.goto(`${DEMO_CLIENTS}?q=Client%27s&sort=remaining&dialog=new-client`);
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await expect(dialog).toBeVisible();
    // Cancel leaves a half-filled form without the browser's own checks stopping it.
    await dialog.getByLabel('Organization name').fill('');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page).not.toHaveURL(/dialog=/);
    await expect(page).toHaveURL(/sort=remaining/);
    expect((await rows(page)).map((r) => r[3])).toEqual(['9', '14', '19']);
    await expect(page.getByRole('searchbox', { name: 'Search clients' })).toHaveValue("Client's");
  });

  test('the list, sorting and a dialog work as plain links and forms', async ({ page }) => {
    await signInWithoutScript(page, 'admin@demo.example');
    await page.goto(DEMO_CLIENTS);
    expect(await rows(page)).toEqual(SEEDS);
    await page.getByRole('link', { name: /Remaining/ }).click();
    await expect(page).toHaveURL(/sort=remaining/);
    expect((await rows(page)).map((r) => r[3])).toEqual(['9', '14', '19']);
    await page.goto(`${DEMO_CLIENTS}?dialog=seats&client=1`);
    await expect(page.getByRole('dialog', { name: 'Manage subscription' })).toBeVisible();
    await expect(page.getByRole('dialog').getByLabel('Seats')).toHaveValue('15');
  });
});
