import { test, expect, type Page } from '@playwright/test';
import { confirmMember, fingerprintPhraseOf, hydrated, mailTo, PASSWORD, signIn, uniqueEmail, unlockAccountKeys } from './fixtures';

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
  await expect(invite).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'by email' })).toHaveText('1 invitation sent by email.');
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
  await edit.locator('.modal-actions').getByRole('button', { name: 'Close' }).click();
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
  await revoke.locator('.modal-actions').getByRole('button', { name: 'Close' }).click();
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

test('the overview keeps long values inside their cards, at desktop and phone width', async ({ page }) => {
  await signIn(page, 'service@demo.example');
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await page.goto('/organizations/1');
    await hydrated(page);
    const cards = page.locator('dl.figures > div');
    expect(await cards.count()).toBeGreaterThan(3);
    await expect(cards.filter({ hasText: '@' })).toHaveCount(1);
    const overflowing = await cards.evaluateAll((all) =>
      all.filter((card) => card.scrollWidth > card.clientWidth + 1).map((card) => card.textContent),
    );
    expect(overflowing, `cards wider than their box at ${width} px`).toEqual([]);
  }
});

test('an organization that is not yours has no Admin Console for you', async ({ page }) => {
  await signIn(page, 'service@demo.example');
  await page.goto('/organizations/999999/members');
  await expect(page.getByText("You don't have access to this.")).toBeVisible();
});

test('account recovery and Custom permissions: a member enrols, the service user recovers the account and the vault survives; the member sees only its sections', async ({ browser }) => {
  // Three people, a mail, a dozen page loads and several key derivations: longer than the
  // default 30 s under load.
  test.setTimeout(150_000);
  const service = await (await browser.newContext()).newPage();
  await signIn(service, 'service@demo.example');
  await service.goto(CLIENTS);
  await service.getByRole('link', { name: CLIENT }).click();
  await hydrated(service);
  const nav = service.getByRole('navigation', { name: 'Main navigation' });

  // Settings → Policies: account recovery on.
  await nav.getByRole('link', { name: 'Policies', exact: true }).click();
  await expect(service).toHaveURL(/\/organizations\/\d+\/settings\/policies$/);
  const policy = service.locator('[data-policy=account_recovery]');
  await expect(policy.getByRole('heading')).toContainText('Off');
  await policy.getByLabel('Turn on').check();
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(policy.getByRole('heading')).toContainText('On');
  // The organization's fingerprint phrase, made in this browser: members compare it when
  // they enrol.
  const organizationPhrase = policy.getByTestId('organization-fingerprint');
  const orgPhrase = await fingerprintPhraseOf(organizationPhrase);
  // A master-password minimum outside its bounds is refused next to the field.
  const master = service.locator('[data-policy=master_password]');
  await master.getByLabel('Minimum length').fill('5');
  await master.getByLabel('Turn on').check();
  await master.getByRole('button', { name: 'Save' }).click();
  await expect(master.locator('.field.invalid')).toContainText('Minimum length');
  await expect(master.getByRole('heading')).toContainText('Off');

  // Invite a Custom member who may read event logs only.
  await nav.getByRole('link', { name: 'Members', exact: true }).click();
  const email = uniqueEmail('casey');
  await service.getByRole('link', { name: '+ Invite member' }).click();
  const invite = service.getByRole('dialog', { name: 'Invite members' });
  await invite.getByLabel('Email addresses').fill(email);
  await invite.getByRole('radio', { name: /^Custom/ }).check();
  await invite.getByLabel('Access event logs').check();
  await invite.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(invite).toHaveCount(0);
  await expect(service.getByRole('status').filter({ hasText: 'by email' })).toHaveText('1 invitation sent by email.');

  // The member registers through the mailed link and accepts.
  const mail = await mailTo(email);
  expect(mail.subject).toBe(`You're invited to join ${CLIENT}`);
  const link = mail.text.match(/https?:\/\/\S+\/invitations\/\S+/)?.[0] as string;
  const member = await (await browser.newContext()).newPage();
  await member.goto(link);
  await hydrated(member);
  await expect(member.getByText(`You are invited to join the organization ${CLIENT} as`)).toBeVisible();
  await member.locator('#main').getByRole('link', { name: 'Create an account' }).click();
  await member.getByLabel('Name').fill('Casey Custom');
  await member.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await member.getByLabel('Repeat the password').fill(PASSWORD);
  await member.getByRole('button', { name: 'Create account' }).click();
  await expect(member).toHaveURL(/\/invitations\//);
  await member.getByRole('button', { name: 'Accept' }).click();
  await expect(member).toHaveURL(/\/memberships$/);
  const membership = member.locator('.membership').filter({ hasText: CLIENT });
  await expect(membership).toContainText('Accepted');

  // The service user confirms the member: their browser opens the client's key through the
  // chain (private key → provider key → organization key) and wraps it to the member's public
  // key, whose fingerprint phrase is the one the member sees in their account.
  await member.goto('/account');
  await hydrated(member);
  const phrase = await unlockAccountKeys(member, PASSWORD);
  await member.goto('/memberships');
  await service.goto(service.url() + '?status=accepted');
  await hydrated(service);
  await confirmMember(service, email, phrase);

  // The member's browser opens the organization key the service user's browser gave it.
  await member.goto('/account');
  await hydrated(member);
  await unlockAccountKeys(member, PASSWORD);
  await expect(member.getByTestId('held-keys')).toContainText(`${CLIENT}: opens in this browser`);
  await member.goto('/memberships');

  // The member enrols in account recovery from the Password Manager: the dialog shows the
  // organization's fingerprint phrase, the one its admins see; the member's browser wraps
  // their user key to the organization's public key.
  await member.reload();
  await hydrated(member);
  await expect(membership).toContainText('Confirmed');
  await membership.getByRole('link', { name: 'Enrol' }).click();
  const enrol = member.getByRole('dialog', { name: `Enrol in account recovery at ${CLIENT}` });
  await expect(enrol.getByTestId('organization-fingerprint')).toHaveText(orgPhrase);
  await enrol.getByLabel('Master password').fill(PASSWORD);
  await enrol.getByRole('button', { name: 'Enrol' }).click();
  await expect(enrol).toHaveCount(0);
  await expect(membership).toContainText('Enrolled in account recovery');

  // Custom flags open exactly their sections: event logs, nothing else.
  await membership.getByRole('link', { name: CLIENT }).click();
  await hydrated(member);
  const memberNav = member.getByRole('navigation', { name: 'Main navigation' });
  await expect(memberNav.getByRole('link', { name: 'Event logs', exact: true })).toBeVisible();
  for (const section of ['Members', 'Subscription', 'Billing information', 'Organization info', 'Policies']) {
    await expect(memberNav.getByRole('link', { name: section, exact: true })).toHaveCount(0);
  }
  await member.goto(service.url().replace(/\/members.*$/, '/members'));
  await expect(member.getByText("You don't have access to this.")).toBeVisible();

  // The service user recovers the enrolled member's account in their browser (their private
  // key → provider key → organization key → organization private key → the member's user
  // key, wrapped under the new password); the member's sessions end.
  await service.goto(service.url().replace(/\?.*$/, ''));
  await hydrated(service);
  const row = service.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Enrolled');
  await row.getByRole('button', { name: `Actions for ${email}` }).click();
  await service.getByRole('menuitem', { name: 'Recover account' }).click();
  const recover = service.getByRole('dialog', { name: 'Recover account' });
  const fresh = 'tangerine lighthouse velvet orbit';
  await recover.getByLabel('Master password').fill(PASSWORD);
  await recover.getByLabel('New password').fill(fresh);
  await expect(recover.locator('.strength')).toHaveAttribute('data-score', /[34]/);
  await recover.getByLabel('Repeat the password').fill(fresh);
  await recover.getByRole('button', { name: 'Recover account' }).click();
  await expect(recover.getByText('Account recovered. Every session of this member has ended; at their next sign-in they choose their own master password.')).toBeVisible();
  await recover.locator('.modal-actions').getByRole('button', { name: 'Close' }).click();
  await expect(recover).toHaveCount(0);

  await member.goto('/memberships');
  await expect(member.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  await member.goto('/sign-in');
  await hydrated(member);
  await member.getByLabel('Email address').fill(email);
  await member.getByLabel('Password').fill(PASSWORD);
  await member.getByRole('button', { name: 'Sign in' }).click();
  await expect(member.getByText('The email address or password is incorrect.')).toBeVisible();
  await member.getByLabel('Password').fill(fresh);
  await member.getByRole('button', { name: 'Sign in' }).click();
  await expect(member.getByRole('button', { name: 'Account' })).toBeVisible();

  // The recovered member must choose their own master password before anything else: every
  // page says so, and the Admin Console refuses them until then.
  const notice = member.getByTestId('password-change-required');
  await expect(notice).toBeVisible();
  await member.goto(service.url().replace(/\/members.*$/, '/events'));
  await expect(member.getByText('An administrator recovered your account. Choose a new master password on your account page before you go on.')).toBeVisible();
  await notice.getByRole('link', { name: 'Choose a new master password' }).click();
  await expect(member).toHaveURL(/\/account#password$/);
  await hydrated(member);
  const own = 'quiet meadow copper saxophone';
  const passwordForm = member.locator('section', { has: member.locator('#password-heading') });
  await passwordForm.getByLabel('Current password').fill(fresh);
  await passwordForm.getByLabel('New password').fill(own);
  await passwordForm.getByLabel('Repeat the password').fill(own);
  await passwordForm.getByRole('button', { name: 'Change password' }).click();
  await expect(passwordForm.getByRole('status')).toHaveText('Saved.');
  await expect(notice).toHaveCount(0);
  // The vault survived: the organization key the service user's browser gave the member before
  // the recovery still opens with the keys the new password unlocks.
  await unlockAccountKeys(member, own);
  await expect(member.getByTestId('held-keys')).toContainText(`${CLIENT}: opens in this browser`);
  await member.goto(service.url().replace(/\/members.*$/, '/events'));
  await expect(member.getByRole('heading', { name: 'Event logs' })).toBeVisible();

  // Leave the client as the seeds have it: the policy off, the member removed. Turning
  // recovery off while the member is enrolled asks once more, and saves nothing until then.
  await nav.getByRole('link', { name: 'Policies', exact: true }).click();
  await policy.getByLabel('Turn on').uncheck();
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(policy.getByRole('alert').filter({ hasText: 'enrolled in account recovery: 1.' })).toBeVisible();
  await expect(policy.getByRole('heading')).toContainText('On');
  await policy.getByLabel('Withdraw every enrolment and turn account recovery off').check();
  await policy.getByRole('button', { name: 'Save' }).click();
  await expect(policy.getByRole('heading')).toContainText('Off');
  await nav.getByRole('link', { name: 'Members', exact: true }).click();
  await row.getByRole('button', { name: `Actions for ${email}` }).click();
  await service.getByRole('menuitem', { name: 'Remove' }).click();
  const remove = service.getByRole('dialog', { name: 'Remove members' });
  await remove.getByRole('button', { name: 'Remove' }).click();
  await expect(remove.getByText('1 done, 0 not changed.')).toBeVisible();
  await remove.locator('.modal-actions').getByRole('button', { name: 'Close' }).click();
  await expect(remove).toHaveCount(0);
  expect(await figures(service, CLIENT)).toEqual(['15', '1', '14']);
});
