import { test, expect, type Page } from '@playwright/test';
import { PASSWORD, confirmMember, hydrated, mailTo, registerFromInvitation, signIn, signInTo, uniqueEmail, unlockAccountKeys } from './fixtures';

// Sharing in the vault (issue 22): the Owner of Northwind Traders (the demo admin) makes a
// login with the generator, files it in a folder of their own, moves it into the "Office IT"
// collection, and gives a new member "Can view" there: the member's vault shows the item, read
// only; with "Can view, except passwords" the member's browser hides its password. This adds
// a member to a demo organization, so the configuration runs it after the specs that read the
// seeds' figures (the `console` project).

const ORGANIZATION = 'Northwind Traders';
const COLLECTION = 'Office IT';
const ITEM = 'Branch office router';

function rows(page: Page) {
  return page.getByTestId('vault-items').locator('li');
}

async function unlockVault(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Your vault is locked' })).toBeVisible();
  await page.getByLabel('Master password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Your vault is locked' })).toBeHidden();
}

/** The Owner's Admin Console page `section` of Northwind, reached by links (the tab stays
 *  unlocked). */
async function consoleSection(page: Page, section: string): Promise<void> {
  await page.getByRole('link', { name: 'Organizations and providers' }).click();
  await page.getByRole('link', { name: ORGANIZATION }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: section, exact: true }).click();
}

/** Sets `who`'s access to the collection on the Collections page (reached from the vault by
 *  links when `fromVault`, else already open). */
async function giveAccess(page: Page, who: string, access: string, fromVault = true): Promise<void> {
  if (fromVault) await consoleSection(page, 'Collections');
  await page.getByTestId('collections').getByRole('row').filter({ hasText: COLLECTION }).getByRole('link', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit collection' });
  await edit.getByLabel(who).selectOption({ label: access });
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toHaveCount(0);
}

test('the generator, a folder, moving a login into a collection, and a member who can view it, then not its password', async ({ browser }) => {
  // Two people, a mail, a confirmation and several unlocks (each a key derivation).
  test.setTimeout(180_000);
  let owner = await (await browser.newContext()).newPage();
  await signIn(owner, 'admin@demo.example');

  // A new member of Northwind registers through the mailed invitation and accepts.
  await consoleSection(owner, 'Members');
  const email = uniqueEmail('viewer');
  await owner.getByRole('link', { name: '+ Invite member' }).click();
  const invite = owner.getByRole('dialog', { name: 'Invite members' });
  await invite.getByLabel('Email addresses').fill(email);
  await invite.getByRole('radio', { name: /^User/ }).check();
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(invite).toHaveCount(0);
  const mail = await mailTo(email);
  const link = mail.text.match(/https?:\/\/\S+\/invitations\/\S+/)?.[0] as string;
  const member = await (await browser.newContext()).newPage();
  await registerFromInvitation(member, link, 'Vic Viewer');
  await member.goto('/account');
  await hydrated(member);
  const phrase = await unlockAccountKeys(member, PASSWORD);

  // The Owner confirms: their browser wraps Northwind's key to the member's public key.
  await owner.goto(owner.url() + '?status=accepted');
  await hydrated(owner);
  await confirmMember(owner, email, phrase);

  // The Owner's vault on another device, unlocked by signing in: a folder of their own.
  await owner.close();
  owner = await (await browser.newContext()).newPage();
  await signInTo(owner, 'admin@demo.example', '/vault');
  await owner.getByRole('link', { name: 'New folder' }).click();
  const folder = owner.getByRole('dialog', { name: 'New folder' });
  await folder.getByLabel('Name', { exact: true }).fill('Routers');
  await folder.getByRole('button', { name: 'Save' }).click();
  await expect(folder).toHaveCount(0);
  await expect(owner).toHaveURL(/filter=folder-\d+/);
  await expect(owner.getByTestId('vault-empty')).toBeVisible();

  // A new login whose password is a generated passphrase, filed in the folder.
  await owner.locator('.new-item-links').getByRole('link', { name: 'Login', exact: true }).click();
  const add = owner.getByRole('dialog', { name: 'New item' });
  await add.getByLabel('Name', { exact: true }).fill(ITEM);
  await add.getByLabel('Username', { exact: true }).fill('netadmin');
  await add.getByRole('button', { name: 'Generate a password' }).click();
  const generated = add.getByTestId('generated');
  // A password first: 20 characters by default, of every set.
  await expect(generated).toHaveText(/^\S{20}$/);
  const first = (await generated.textContent()) ?? '';
  await add.getByRole('button', { name: 'Generate again' }).click();
  await expect(generated).not.toHaveText(first);
  await add.getByLabel('Digits (0–9)').uncheck();
  await add.getByLabel('Special characters (!@#$%^&*)').uncheck();
  await expect(generated).toHaveText(/^[A-Za-z]{20}$/);
  // A length out of range: the field shows the one used.
  await add.getByLabel('Length (5–128)').fill('500');
  await add.getByLabel('Length (5–128)').press('Tab');
  await expect(add.getByLabel('Length (5–128)')).toHaveValue('128');
  await expect(generated).toHaveText(/^[A-Za-z]{128}$/);
  // Then a passphrase of four capitalized words, one with a digit.
  await add.getByRole('radio', { name: 'Words (passphrase)' }).check();
  await add.getByLabel('Number of words (3–20)').fill('4');
  await add.getByLabel('Number of words (3–20)').press('Tab');
  await expect(generated).toHaveText(/^[A-Z][a-z]+\d?(-[A-Z][a-z]+\d?){3}$/);
  const passphrase = (await generated.textContent()) ?? '';
  expect(passphrase).toMatch(/\d/);
  await add.getByRole('button', { name: 'Use this password' }).click();
  await expect(add.getByLabel('Password', { exact: true })).toHaveValue(passphrase);
  await add.getByLabel('Folder').selectOption({ label: 'Routers' });
  await add.getByRole('button', { name: 'Save' }).click();
  const item = owner.getByRole('dialog', { name: ITEM });
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: 'Show' }).click();
  await expect(item.getByTestId('item-password')).toHaveText(passphrase);
  await item.getByRole('button', { name: 'Close' }).first().click();
  await expect(rows(owner)).toHaveCount(1);

  // Moved into Northwind's "Office IT": only its key is wrapped again, under Northwind's key.
  await rows(owner).getByRole('link', { name: ITEM }).click();
  await owner.getByRole('dialog', { name: ITEM }).getByRole('link', { name: 'Move to an organization' }).click();
  const share = owner.getByRole('dialog', { name: 'Share' });
  await share.getByLabel('Owner').selectOption({ label: ORGANIZATION });
  // No collection ticked: refused in the browser, nothing sent.
  await share.getByRole('button', { name: 'Move to an organization' }).click();
  await expect(share.locator('.form-alert')).toContainText('at least one collection');
  await share.getByLabel(COLLECTION).check();
  await share.getByRole('button', { name: 'Move to an organization' }).click();
  await expect(share).toHaveCount(0);
  const moved = owner.getByRole('dialog', { name: ITEM });
  await expect(moved).toBeVisible();
  // Now an organization's item: its collections can be changed, it no longer moves.
  await expect(moved.getByRole('link', { name: 'Collections' })).toBeVisible();
  await expect(moved.getByRole('link', { name: 'Move to an organization' })).toHaveCount(0);
  await moved.getByRole('button', { name: 'Close' }).first().click();
  await owner.getByRole('navigation', { name: 'Filters' }).getByRole('link', { name: COLLECTION }).click();
  await expect(rows(owner).filter({ hasText: ITEM })).toHaveCount(1);

  // "Can view": the member sees the item and its password, and may not edit it.
  await giveAccess(owner, `Vic Viewer (${email})`, 'Can view');
  await member.goto('/vault');
  await hydrated(member);
  await unlockVault(member);
  await expect(rows(member).filter({ hasText: ITEM })).toHaveCount(1);
  await rows(member).getByRole('link', { name: ITEM }).click();
  const viewed = member.getByRole('dialog', { name: ITEM });
  await expect(viewed.getByTestId('read-only')).toBeVisible();
  await expect(viewed.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await expect(viewed.getByRole('button', { name: 'Move to trash' })).toHaveCount(0);
  await viewed.getByRole('button', { name: 'Show' }).click();
  await expect(viewed.getByTestId('item-password')).toHaveText(passphrase);

  // "Can view, except passwords": the member's browser keeps the password out of sight.
  await giveAccess(owner, `Vic Viewer (${email})`, 'Can view, except passwords', false);
  await member.reload();
  await hydrated(member);
  await unlockVault(member);
  const hidden = member.getByRole('dialog', { name: ITEM });
  await expect(hidden.getByTestId('item-username')).toHaveText('netadmin');
  await expect(hidden.getByTestId('password-hidden')).toBeVisible();
  await expect(hidden.getByTestId('item-password')).toHaveCount(0);
  await expect(hidden).not.toContainText(passphrase);
});
