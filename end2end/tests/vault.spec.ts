import { test, expect, type Page } from '@playwright/test';
import { PASSWORD, hydrated, registerAccount, signIn, signInTo, totpCode, uniqueEmail } from './fixtures';

// The Password Manager's Vault (issue 22): items of every type made, sealed and opened in the
// browser; a reload locks the tab and unlocking opens them again; a login's one-time code and
// its countdown; search and filters over what only the browser can read; the trash. What is
// typed here is in the scan's list (scan.spec.ts): none of it may reach the database.

/** Typed secrets (scan.spec.ts looks for each in the database file: keep the two lists alike). */
const VAULT_SECRETS = {
  password: 'opal harbor lantern 9317',
  totp: 'JBSWY3DPEHPK3PXP',
  card: '4111111111111111',
  note: 'the alarm code is 4512 then hash',
  privateKey: 'PRIVATE KEY of the deploy robot',
};

/** Typed into custom fields and passwords (scan.spec.ts has them too). */
const CUSTOM_SECRETS = {
  first: 'saffron tunnel 2280 first',
  second: 'cobalt willow 6614 second',
  pin: 'pin-9081-7264-x',
};

async function unlockVault(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Your vault is locked' })).toBeVisible();
  await page.getByLabel('Master password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Your vault is locked' })).toBeHidden();
}

/** Adds an item through the New item dialog: `kind` is the type's link, `fields` label → value. */
async function addItem(page: Page, kind: string, name: string, fields: Record<string, string>, favorite = false): Promise<void> {
  await page.locator('.new-item-links').getByRole('link', { name: kind, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New item' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  for (const [label, value] of Object.entries(fields)) {
    await dialog.getByLabel(label, { exact: true }).fill(value);
  }
  if (favorite) await dialog.getByLabel('Favorite').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  // Saved: the item opens.
  const opened = page.getByRole('dialog', { name });
  await expect(opened).toBeVisible();
  await opened.getByRole('button', { name: 'Close' }).first().click();
  await expect(opened).toBeHidden();
}

function rows(page: Page) {
  return page.getByTestId('vault-items').locator('li');
}

test('a personal vault: every type, unlocking after a reload, one-time codes, search and the trash', async ({ page }) => {
  const email = uniqueEmail('vault');
  await registerAccount(page, email, 'Vera Vault');
  await page.goto('/vault');
  await hydrated(page);
  await unlockVault(page);
  await expect(page.getByTestId('vault-empty')).toBeVisible();

  await addItem(page, 'Login', 'Bank portal', {
    Username: 'vera@bank.example',
    Password: VAULT_SECRETS.password,
    'Authenticator key (TOTP)': VAULT_SECRETS.totp,
    Website: 'https://bank.example',
  }, true);
  await addItem(page, 'Secure note', 'Alarm', { Notes: VAULT_SECRETS.note });
  await addItem(page, 'Card', 'Company card', {
    'Cardholder name': 'Vera Vault',
    Brand: 'Visa',
    Number: VAULT_SECRETS.card,
    'Security code': '737',
  });
  await addItem(page, 'Identity', 'Passport', { 'First name': 'Vera', 'Last name': 'Vault', Email: 'vera@home.example' });
  await addItem(page, 'SSH key', 'Deploy key', {
    'Private key': VAULT_SECRETS.privateKey,
    'Public key': 'ssh-ed25519 AAAAC3Nza deploy@robot',
  });
  await expect(rows(page)).toHaveCount(5);

  // A reload forgets the keys: the vault asks for the master password and opens everything.
  await page.reload();
  await hydrated(page);
  await unlockVault(page);
  await expect(rows(page)).toHaveCount(5);
  await expect(rows(page).filter({ hasText: 'Company card' })).toContainText('Visa, *1111');

  // The login: username, a masked password shown on request, the one-time code counting down.
  await rows(page).filter({ hasText: 'Bank portal' }).getByRole('link').click();
  const login = page.getByRole('dialog', { name: 'Bank portal' });
  await expect(login.getByTestId('item-username')).toHaveText('vera@bank.example');
  await expect(login.getByTestId('item-password')).not.toContainText(VAULT_SECRETS.password);
  await login.getByRole('button', { name: 'Show' }).click();
  await expect(login.getByTestId('item-password')).toHaveText(VAULT_SECRETS.password);
  const code = (await login.getByTestId('item-totp').textContent()) ?? '';
  expect([totpCode(VAULT_SECRETS.totp, -1), totpCode(VAULT_SECRETS.totp), totpCode(VAULT_SECRETS.totp, 1)]).toContain(code);
  const remaining = login.getByTestId('item-totp-remaining');
  const before = Number(await remaining.textContent());
  expect(before).toBeGreaterThan(0);
  expect(before).toBeLessThanOrEqual(30);
  await expect(remaining).not.toHaveText(String(before), { timeout: 3_000 });
  await login.getByRole('button', { name: 'Close' }).first().click();

  // Filters and search run in the browser.
  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'Favorites' }).click();
  await expect(rows(page)).toHaveCount(1);
  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'Card' }).click();
  await expect(page).toHaveURL(/filter=type-3/);
  await expect(rows(page)).toHaveCount(1);
  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'All items' }).click();
  await page.getByLabel('Search the vault').fill('bank.EXAMPLE');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('Bank portal');
  await page.getByLabel('Search the vault').fill('');

  // The trash: out of the list, into the trash, and back.
  await rows(page).filter({ hasText: 'Alarm' }).getByRole('link').click();
  const note = page.getByRole('dialog', { name: 'Alarm' });
  await expect(note.getByTestId('item-notes')).toHaveText(VAULT_SECRETS.note);
  await note.getByRole('button', { name: 'Move to trash' }).click();
  await expect(note).toBeHidden();
  await expect(rows(page)).toHaveCount(4);
  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'Trash' }).click();
  await expect(rows(page)).toHaveCount(1);
  await rows(page).getByRole('link').click();
  await page.getByRole('dialog', { name: 'Alarm' }).getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByTestId('vault-empty')).toBeVisible();
  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'All items' }).click();
  await expect(rows(page)).toHaveCount(5);

  // Editing keeps the item's key and names the revision it read.
  await rows(page).filter({ hasText: 'Passport' }).getByRole('link').click();
  await page.getByRole('dialog', { name: 'Passport' }).getByRole('link', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit item' });
  await edit.getByLabel('Name', { exact: true }).fill('Passport (renewed)');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('dialog', { name: 'Passport (renewed)' })).toBeVisible();
});

test("an organization's collections: the Owner's vault shows their items, the console names and changes them; a provider's user is told the items are not theirs", async ({ page, browser }) => {
  // The demo admin owns Northwind Traders, whose "Office IT" collection holds two logins. The
  // sign-in lands on the vault without a reload, so the tab is unlocked.
  await signInTo(page, 'admin@demo.example', '/vault');
  await expect(page.getByRole('heading', { name: 'Vault', exact: true })).toBeVisible();
  await expect(rows(page).filter({ hasText: 'Office Wi-Fi' })).toHaveCount(1);
  await expect(rows(page).filter({ hasText: 'Microsoft 365 admin center' })).toHaveCount(1);
  await page.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: 'Office IT' }).click();
  await expect(rows(page)).toHaveCount(2);
  await rows(page).filter({ hasText: 'Firewall admin' }).getByRole('link').click();
  await expect(page.getByRole('dialog', { name: 'Firewall admin' }).getByTestId('item-username')).toHaveText('admin');
  await page.getByRole('dialog', { name: 'Firewall admin' }).getByRole('button', { name: 'Close' }).first().click();

  // The Admin Console's Collections page, reached by links (the tab stays unlocked).
  await page.getByRole('link', { name: 'Organizations and providers' }).click();
  await page.getByRole('link', { name: 'Northwind Traders' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Collections', exact: true }).click();
  await expect(page).toHaveURL(/\/organizations\/\d+\/collections$/);
  const table = page.getByTestId('collections');
  await expect(table.getByRole('row').filter({ hasText: 'Office IT' })).toContainText('2');
  await expect(page.getByTestId('items-not-for-providers')).toHaveCount(0);

  await page.getByRole('link', { name: 'New collection' }).click();
  const create = page.getByRole('dialog', { name: 'New collection' });
  await create.getByLabel('Name', { exact: true }).fill('Finance');
  await create.getByRole('button', { name: 'Save' }).click();
  await expect(create).toHaveCount(0);
  const finance = table.getByRole('row').filter({ hasText: 'Finance' });
  await expect(finance).toBeVisible();
  await finance.getByRole('link', { name: 'Delete' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete Finance?' });
  await expect(remove).toContainText('The collection holds no items.');
  await remove.getByRole('button', { name: 'Delete' }).click();
  await expect(remove).toHaveCount(0);
  await expect(finance).toHaveCount(0);

  // A service user manages a client's collections but is told its items are not theirs (V2).
  const service = await browser.newPage();
  await signIn(service, 'service@demo.example');
  await service.goto('/providers/1/clients');
  await hydrated(service);
  await service.getByRole('link', { name: "Third Client's Organization" }).click();
  await hydrated(service);
  await service.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Collections', exact: true }).click();
  await expect(service.getByTestId('items-not-for-providers')).toBeVisible();
  await service.close();
});

test('custom fields, the password history and an item that asks for the master password again', async ({ page }) => {
  await registerAccount(page, uniqueEmail('fields'), 'Fran Fields');
  await page.goto('/vault');
  await hydrated(page);
  await unlockVault(page);

  await page.locator('.new-item-links').getByRole('link', { name: 'Login', exact: true }).click();
  const add = page.getByRole('dialog', { name: 'New item' });
  await add.getByLabel('Name', { exact: true }).fill('Alarm panel');
  await add.getByLabel('Password', { exact: true }).fill(CUSTOM_SECRETS.first);
  const custom = add.getByTestId('custom-field');
  await add.getByRole('button', { name: 'Add a field' }).click();
  await custom.nth(0).getByLabel('Field name').fill('Site code');
  await custom.nth(0).getByLabel('Value').fill('A-17');
  await add.getByRole('button', { name: 'Add a field' }).click();
  await custom.nth(1).getByLabel('Field type').selectOption({ label: 'Hidden' });
  await custom.nth(1).getByLabel('Field name').fill('Installer PIN');
  await custom.nth(1).getByLabel('Value').fill(CUSTOM_SECRETS.pin);
  await add.getByRole('button', { name: 'Add a field' }).click();
  await custom.nth(2).getByLabel('Field type').selectOption({ label: 'Yes or no' });
  await custom.nth(2).getByLabel('Field name').fill('Monitored');
  await custom.nth(2).getByLabel('Value').check();
  // A linked field follows another field of the item (Bitwarden's number for the password).
  await add.getByRole('button', { name: 'Add a field' }).click();
  await custom.nth(3).getByLabel('Field type').selectOption({ label: 'Linked' });
  await custom.nth(3).getByLabel('Field name').fill('Panel login');
  await custom.nth(3).getByLabel('Field it follows').selectOption({ label: 'Password' });
  // A row left empty is dropped, not saved.
  await add.getByRole('button', { name: 'Add a field' }).click();
  await expect(custom).toHaveCount(5);
  await add.getByLabel('Ask for the master password again to open this item').check();
  await add.getByRole('button', { name: 'Save' }).click();

  // Re-prompt: nothing of the item shows until the master password is given again.
  const item = page.getByRole('dialog', { name: 'Alarm panel' });
  await expect(item.getByTestId('reprompt')).toBeVisible();
  await expect(item.getByTestId('item-custom').first()).toBeHidden();
  await expect(item.getByRole('link', { name: 'Edit' })).toBeHidden();
  await item.getByLabel('Master password', { exact: true }).fill('not the password at all');
  await item.getByRole('button', { name: 'Open the item' }).click();
  await expect(item.locator('.field.invalid')).toBeVisible();
  await expect(item.getByTestId('item-custom').first()).toBeHidden();
  await item.getByLabel('Master password', { exact: true }).fill(PASSWORD);
  await item.getByRole('button', { name: 'Open the item' }).click();
  const fields = item.getByTestId('item-custom');
  await expect(fields).toHaveCount(4);
  await expect(fields.nth(0)).toHaveText('A-17');
  await expect(fields.nth(1)).not.toContainText(CUSTOM_SECRETS.pin);
  await expect(fields.nth(2)).toHaveText('Yes');
  await expect(fields.nth(3)).toHaveText('Follows: Password');

  // A new password puts the old one in the history.
  await item.getByRole('link', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit item' });
  await edit.getByLabel('Master password', { exact: true }).fill(PASSWORD);
  await edit.getByRole('button', { name: 'Open the item' }).click();
  await expect(edit.getByTestId('custom-field')).toHaveCount(4);
  await expect(edit.getByTestId('custom-field').nth(3).getByLabel('Field it follows')).toHaveValue('101');
  await edit.getByLabel('Password', { exact: true }).fill(CUSTOM_SECRETS.second);
  await edit.getByRole('button', { name: 'Save' }).click();
  const again = page.getByRole('dialog', { name: 'Alarm panel' });
  await again.getByLabel('Master password', { exact: true }).fill(PASSWORD);
  await again.getByRole('button', { name: 'Open the item' }).click();
  await again.getByText('Password history (1 earlier password)').click();
  const history = again.getByTestId('item-history');
  await again.locator('.password-history').getByRole('button', { name: 'Show' }).click();
  await expect(history).toHaveText(CUSTOM_SECRETS.first);
});
