import { test, expect } from '@playwright/test';
import {
  hydrated,
  mailTo,
  PASSWORD,
  registerAccount,
  signIn,
  signInWithoutScript,
  uniqueEmail,
  unlockAccountKeys,
} from './fixtures';

// The invitation mail goes through a real SMTP server (maildev; see fixtures.ts).
const MEMBERS = '/providers/1/manage/members';

test('invite a service user by mail; they register, accept, get confirmed and see the provider', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin@demo.example');

  // The side navigation leads to Manage → Members.
  await admin.goto('/providers/1/clients');
  await hydrated(admin);
  await admin.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Members' }).click();
  await expect(admin).toHaveURL(/\/providers\/1\/manage\/members$/);
  await expect(admin.getByRole('heading', { name: 'Members', exact: true })).toBeVisible();

  // Invite: one bad address refuses the whole form, with the problem next to that address.
  const email = uniqueEmail('sam');
  await admin.getByRole('link', { name: '+ Invite member' }).click();
  const invite = admin.getByRole('dialog', { name: 'Invite members' });
  await invite.getByLabel('Email addresses').fill(`${email}, not-an-address`);
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(invite.getByText('not-an-address: Enter a valid email address.')).toBeVisible();
  await invite.getByLabel('Email addresses').fill(email);
  await invite.getByRole('radio', { name: /^Service User/ }).check();
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  // Mail is on: nothing to pass on, so the dialog closes and the list says what happened.
  await expect(invite).toHaveCount(0);
  await expect(admin.getByRole('status').filter({ hasText: 'by email' })).toHaveText('1 invitation sent by email.');
  await expect(admin).toHaveURL(/invites_sent=1/);
  await expect(admin.getByRole('row').filter({ hasText: email })).toContainText('Invited');

  // The mail arrives; its link opens the invitation.
  const mail = await mailTo(email);
  expect(mail.subject).toBe("You're invited to join Demo MSP");
  const link = mail.text.match(/https?:\/\/\S+\/invitations\/\S+/)?.[0];
  expect(link).toBeTruthy();

  const inviteeContext = await browser.newContext();
  const invitee = await inviteeContext.newPage();
  await invitee.goto(link as string);
  await hydrated(invitee);
  await expect(invitee.getByText('You are invited to join the provider Demo MSP as')).toBeVisible();
  await invitee.locator('#main').getByRole('link', { name: 'Create an account' }).click();
  await expect(invitee.getByLabel('Email address')).toHaveValue(email);
  await invitee.getByLabel('Name').fill('Sam Service');
  await invitee.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await invitee.getByLabel('Repeat the password').fill(PASSWORD);
  await invitee.getByRole('button', { name: 'Create account' }).click();
  // Back on the invitation, now signed in with the invited address, and the keys the browser
  // just made are open in this tab (no reload locked them): the account menu offers Lock now.
  await expect(invitee).toHaveURL(/\/invitations\//);
  await invitee.getByRole('button', { name: 'Account' }).click();
  await expect(invitee.getByRole('menuitem', { name: 'Lock now' })).toBeVisible();
  await invitee.keyboard.press('Escape');
  await invitee.getByRole('button', { name: 'Accept' }).click();
  await expect(invitee).toHaveURL(/\/memberships$/);
  await expect(invitee.locator('.membership').filter({ hasText: 'Demo MSP' })).toContainText('Accepted');

  // Sam's fingerprint phrase, as his account page shows it once his keys are open.
  await invitee.goto('/account');
  await hydrated(invitee);
  const phrase = await unlockAccountKeys(invitee, PASSWORD);

  // The admin confirms Sam from the Accepted tab: the dialog shows the phrase of the public key
  // the admin's browser wraps the provider key to, the same phrase Sam sees; the admin's tab
  // was reloaded, so its keys are locked and the dialog asks for the master password.
  await admin.goto(`${MEMBERS}?status=accepted`);
  await hydrated(admin);
  const row = admin.getByRole('row').filter({ hasText: email });
  await row.getByRole('button', { name: `Actions for ${email}` }).click();
  await admin.getByRole('menuitem', { name: 'Confirm' }).click();
  const confirm = admin.getByRole('dialog', { name: 'Confirm members' });
  await expect(confirm.getByText(email)).toBeVisible();
  await expect(confirm.getByTestId('member-fingerprint')).toHaveText(phrase);
  await confirm.getByLabel('Master password').fill('not my master password');
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(confirm.locator('#field-current_password-error')).toHaveText('This is not correct.');
  await confirm.getByLabel('Master password').fill(PASSWORD);
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(confirm.getByText('1 done, 0 not changed.')).toBeVisible();
  await confirm.locator('.modal-actions').getByRole('button', { name: 'Close' }).click();
  await expect(admin.getByRole('row').filter({ hasText: email })).toHaveCount(0);
  await admin.goto(`${MEMBERS}?status=confirmed&q=${encodeURIComponent(email)}`);
  await expect(admin.getByRole('row').filter({ hasText: email })).toContainText('Confirmed');

  // The event log shows each step, and exports it.
  await admin.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Event logs' }).click();
  await expect(admin).toHaveURL(/\/providers\/1\/manage\/events/);
  await hydrated(admin);
  const log = admin.locator('table.events tbody');
  await expect(log).toContainText(`Invited ${email} to the provider`);
  await expect(log).toContainText(`${email} accepted the invitation`);
  await expect(log).toContainText(`Confirmed ${email}`);
  const downloadPromise = admin.waitForEvent('download');
  await admin.getByRole('link', { name: 'Export to CSV' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^events-provider-1-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString('utf8');
  expect(text.split('\n')[0]).toBe('time_utc,event,code,actor_name,actor_email,target,ip,device');
  expect(text).toContain(`Confirmed ${email},1801,`);
  // A range that ends before it starts is refused next to the field, and nothing is exported.
  await admin.getByLabel('From').fill('2026-11-20');
  await admin.getByLabel('To').fill('2026-11-01');
  await admin.getByRole('button', { name: 'Show' }).click();
  await expect(admin.getByText('The end must not be before the start.')).toBeVisible();
  await expect(admin.getByRole('link', { name: 'Export to CSV' })).toHaveCount(0);

  // Sam's browser opens the provider key the admin's browser gave him.
  await invitee.goto('/account');
  await hydrated(invitee);
  await unlockAccountKeys(invitee, PASSWORD);
  await expect(invitee.getByTestId('held-keys')).toContainText('Demo MSP: opens in this browser');

  // Sam now has the provider in the product switcher.
  await invitee.goto('/');
  await hydrated(invitee);
  await invitee.getByRole('button', { name: 'Switch product' }).click();
  await expect(invitee.locator('#product-switcher [role=menuitem]').filter({ hasText: 'Demo MSP' })).toBeVisible();
  await adminContext.close();
  await inviteeContext.close();
});

test('a service user cannot reach Members, Event logs, Billing or Settings, and sees why', async ({ page }) => {
  await signIn(page, 'service@demo.example');
  await page.goto('/providers/1/clients');
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Clients' })).toBeVisible();
  for (const name of ['Members', 'Event logs', 'Subscription', 'Settings']) {
    await expect(nav.getByRole('link', { name })).toHaveCount(0);
  }
  for (const path of [MEMBERS, '/providers/1/manage/events', '/providers/1/settings',
    '/providers/1/billing/subscription', '/providers/1/billing/history', '/providers/1/billing/information']) {
    const answer = await page.goto(path);
    // The refusal is the page's real status, not a 200 with a message.
    expect(answer?.status(), path).toBe(403);
    await expect(page.getByText("You don't have access to this.")).toBeVisible();
    await expect(page.locator('table.data-table, form input[name=billing_email]')).toHaveCount(0);
  }
  // The export link, tried by hand, is refused as well.
  const response = await page.request.get('/providers/1/manage/events/export.csv');
  expect(response.status()).toBe(403);
});

test('provider settings are saved and recorded', async ({ page }) => {
  await signIn(page, 'admin@demo.example');
  await page.goto('/providers/1/settings');
  await hydrated(page);
  await expect(page.getByLabel('Provider name')).toHaveValue('Demo MSP');
  // Accepted by the browser's own check, refused by the server's (no dot in the domain).
  await page.getByLabel('Billing email').fill('billing@localhost');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Enter a valid email address.')).toBeVisible();
  const email = `billing-${Date.now()}@demo.example`;
  await page.getByLabel('Billing email').fill(email);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Billing email')).toHaveValue(email);
  await page.goto('/providers/1/manage/events');
  await expect(page.locator('table.events tbody')).toContainText("Changed the provider's settings");
});

test('the last Provider Admin is protected, and bulk actions report per row', async ({ page }) => {
  await signIn(page, 'admin@demo.example');
  // Two fresh invitations to act on together.
  const first = uniqueEmail('bulk-a');
  const second = uniqueEmail('bulk-b');
  await page.goto(`${MEMBERS}?dialog=invite`);
  await hydrated(page);
  const invite = page.getByRole('dialog', { name: 'Invite members' });
  await invite.getByLabel('Email addresses').fill(`${first}\n${second}`);
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(invite).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'by email' })).toHaveText('2 invitations sent by email.');

  // Select both, Revoke access: one dialog, a result per row.
  await page.goto(`${MEMBERS}?status=invited&q=bulk-`);
  await hydrated(page);
  await page.getByRole('checkbox', { name: `Select ${first}` }).check();
  await page.getByRole('checkbox', { name: `Select ${second}` }).check();
  await page.getByRole('group', { name: 'Selected members:' }).getByRole('button', { name: 'Revoke access' }).click();
  // The bulk bar is a plain GET form: a new page, server-rendered with the dialog open. Its
  // form works before the bundle too (a plain post), but the per-row results need the bundle.
  await expect(page).toHaveURL(/dialog=revoke/);
  await hydrated(page);
  const revoke = page.getByRole('dialog', { name: 'Revoke access' });
  await expect(revoke.locator('.named-members li')).toHaveCount(2);
  await revoke.getByRole('button', { name: 'Revoke access' }).click();
  await expect(revoke.getByText('2 done, 0 not changed.')).toBeVisible();
  await revoke.locator('.modal-actions').getByRole('button', { name: 'Close' }).click();
  await page.goto(`${MEMBERS}?status=revoked&q=bulk-`);
  await expect(page.getByRole('row').filter({ hasText: first })).toContainText('Revoked');

  // Leaving is refused to the only Provider Admin, with the reason.
  await page.goto('/memberships?leave=1');
  await hydrated(page);
  const leave = page.getByRole('dialog', { name: 'Leave Demo MSP?' });
  await leave.getByRole('button', { name: 'Leave' }).click();
  await expect(leave.getByText('A provider must keep at least one confirmed Provider Admin.')).toBeVisible();
});

test('bulk actions wait for a ticked row, and say so', async ({ page }) => {
  await signIn(page, 'admin@demo.example');
  await page.goto(MEMBERS);
  await hydrated(page);
  const bar = page.getByRole('group', { name: 'Selected members:' });
  const hint = bar.getByText('Tick one or more members first, then choose what to do.');
  const buttons = bar.getByRole('button');
  expect(await buttons.count()).toBeGreaterThan(1);
  for (const button of await buttons.all()) await expect(button).toBeDisabled();
  await expect(hint).toBeVisible();
  const box = page.getByRole('checkbox', { name: /^Select / }).first();
  await box.check();
  for (const button of await buttons.all()) await expect(button).toBeEnabled();
  await expect(hint).toHaveCount(0);
  await box.uncheck();
  await expect(bar.getByRole('button', { name: 'Revoke access' })).toBeDisabled();
  await expect(hint).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a bulk action sent with no ticked row says what is missing', async ({ page }) => {
    await signInWithoutScript(page, 'admin@demo.example');
    await page.goto(MEMBERS);
    const bar = page.getByRole('group', { name: 'Selected members:' });
    await bar.getByRole('button', { name: 'Revoke access' }).click();
    await expect(page).toHaveURL(/dialog=revoke/);
    await expect(bar.getByRole('alert')).toHaveText('Tick one or more members first, then choose what to do.');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('a bulk action posted as a plain form comes back to the list with its counts', async ({ page }) => {
    await signInWithoutScript(page, 'admin@demo.example');
    // Someone to act on: invited through the plain form.
    const email = uniqueEmail('plain');
    await page.goto(`${MEMBERS}?dialog=invite`);
    await page.getByRole('dialog', { name: 'Invite members' }).getByLabel('Email addresses').fill(email);
    await page.getByRole('dialog', { name: 'Invite members' }).getByRole('button', { name: 'Invite', exact: true }).click();
    await page.goto(`${MEMBERS}?status=invited&q=${encodeURIComponent(email)}`);
    await page.getByRole('checkbox', { name: `Select ${email}` }).check();
    await page.getByRole('group', { name: 'Selected members:' }).getByRole('button', { name: 'Revoke access' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke access' });
    await expect(revoke.getByText(email)).toBeVisible();
    await revoke.getByRole('button', { name: 'Revoke access' }).click();
    // Back on the list, without the dialog, with the counts (the per-row results need the bundle).
    await expect(page).toHaveURL(/done=1&unchanged=0/);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'not changed' })).toHaveText('1 done, 0 not changed.');
  });
});

test('pending invitations are pointed out in the Password Manager and can be declined', async ({ browser }) => {
  // Someone with an account is invited; no mail needed to see it.
  const inviteeContext = await browser.newContext();
  const invitee = await inviteeContext.newPage();
  const email = uniqueEmail('pat');
  await registerAccount(invitee, email, 'Pat Pending');
  await expect(invitee.getByRole('button', { name: 'Account' })).toContainText('Pat Pending');

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin@demo.example');
  await admin.goto(`${MEMBERS}?dialog=invite`);
  await hydrated(admin);
  const invite = admin.getByRole('dialog', { name: 'Invite members' });
  await invite.getByLabel('Email addresses').fill(email);
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'by email' })).toHaveText('1 invitation sent by email.');

  await invitee.goto('/');
  await hydrated(invitee);
  await expect(invitee.getByText('You have 1 pending invitation.')).toBeVisible();
  await invitee.getByRole('link', { name: 'Review them' }).click();
  await expect(invitee).toHaveURL(/\/memberships$/);
  const pending = invitee.locator('.pending-item').filter({ hasText: 'Demo MSP' });
  await expect(pending).toContainText('Service User');
  await pending.getByRole('button', { name: 'Decline' }).click();
  await expect(invitee.getByText('No pending invitations.')).toBeVisible();
  await expect(invitee.locator('.membership')).toHaveCount(0);

  // The admin sees the declined invitation gone, and the log says so.
  await admin.goto(`${MEMBERS}?q=${encodeURIComponent(email)}`);
  await expect(admin.getByText('No members match.')).toBeVisible();
  await admin.goto('/providers/1/manage/events');
  await expect(admin.locator('table.events tbody')).toContainText(`${email} declined the invitation`);
  await adminContext.close();
  await inviteeContext.close();
});
