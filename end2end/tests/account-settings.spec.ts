import { test, expect, type Page } from '@playwright/test';
import {
  fingerprintPhraseOf,
  hydrated,
  linkIn,
  mailTo,
  newSignedInPage,
  PASSWORD,
  registerAccount,
  signInTo,
  signOut,
  submitSignIn,
  totpCode,
  uniqueEmail,
  unlockAccountKeys as unlock,
} from './fixtures';

// The account settings of a signed-in user: keys (lock and unlock), two-step login, sessions,
// password, address, and the product switcher's keyboard pattern.

test('keys: unlocked by signing in, locked by a reload, Lock now and the idle timeout', async ({ page }) => {
  const email = uniqueEmail('lock');
  await registerAccount(page, email, 'Lou Lock');
  await signOut(page);

  // Signing in opens the keys with the master key it derived anyway: the page it leads to
  // is unlocked, without asking again.
  await signInTo(page, email, '/account');
  await expect(page).toHaveURL(/\/account$/);
  const keys = page.locator('section', { has: page.locator('#keys-heading') });
  const phrase = await fingerprintPhraseOf(keys.getByTestId('fingerprint'));

  // The keys live in this tab's memory only: a reload keeps the session and locks them. The
  // fake clock (for the idle timeout below) takes over from this load on.
  await page.clock.install();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('Lou Lock');
  await expect(keys.getByTestId('keys-locked')).toBeVisible();
  await keys.getByLabel('Master password').fill('not the master password');
  await keys.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('#field-unlock-current_password-error')).toHaveText('This is not correct.');
  const started = Date.now();
  expect(await unlock(page, PASSWORD)).toBe(phrase);
  test.info().annotations.push({ type: 'unlock ms', description: String(Date.now() - started) });

  // Lock now, from the account menu.
  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Lock now' }).click();
  await expect(keys.getByTestId('keys-locked')).toBeVisible();
  expect(await unlock(page, PASSWORD)).toBe(phrase);

  // One minute without activity locks the tab; activity postpones it.
  await keys.getByLabel('Lock after inactivity').selectOption({ label: '1 minute' });
  await keys.getByRole('button', { name: 'Save' }).click();
  await expect(keys.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.clock.fastForward('00:40');
  await page.keyboard.press('Shift');
  await page.clock.fastForward('00:40');
  await expect(keys.getByTestId('fingerprint')).toHaveText(phrase);
  await page.clock.fastForward('00:30');
  await expect(keys.getByTestId('keys-locked')).toBeVisible();
  await expect(keys.getByTestId('fingerprint')).toHaveCount(0);
  // Still signed in: locking forgets keys, not the session.
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('Lou Lock');
});

test('the strength of a new password is shown while typing, estimated in the browser', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(`${request.url()} ${request.postData() ?? ''}`));
  await page.goto('/register');
  await hydrated(page);
  const strength = page.locator('.strength-label');
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await expect(strength).toHaveText(/Strength: (very weak|weak)/);
  await page.getByLabel('Password', { exact: true }).fill('violet kettle marches sideways at dawn');
  await expect(strength).toHaveText('Strength: strong');

  // The server refuses what the meter calls weak, with the reason next to the field.
  await page.getByLabel('Email address').fill(uniqueEmail('weak'));
  await page.getByLabel('Name').fill('Weak Password');
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await page.getByLabel('Repeat the password').fill('password1234');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-password-error')).toHaveText(
    'This password is too easy to guess. Add more words or characters.',
  );

  // zxcvbn came as a module of its own, and nothing typed into the fields left the browser.
  expect(requests.filter((line) => line.includes('/strength/portal_strength_bg.wasm'))).toHaveLength(1);
  for (const typed of ['password1234', 'violet kettle marches sideways at dawn']) {
    const forms = [typed, encodeURIComponent(typed), typed.replaceAll(' ', '+')];
    expect(requests.filter((line) => forms.some((form) => line.includes(form)))).toEqual([]);
  }
});

test('the key derivation settings change, and the same keys open with the new ones', async ({ page }) => {
  const email = uniqueEmail('kdf');
  await registerAccount(page, email, 'Kim Kdf');
  await page.goto('/account');
  await hydrated(page);
  const phrase = await unlock(page, PASSWORD);
  const kdf = page.locator('section', { has: page.locator('#kdf-heading') });
  await expect(kdf.getByLabel('Algorithm')).toHaveValue('pbkdf2');
  const iterations = kdf.getByLabel('Iterations').filter({ visible: true });
  await expect(iterations).toHaveValue('600000');

  await kdf.getByLabel('Algorithm').selectOption('argon2id');
  await iterations.fill('2');
  await kdf.getByLabel('Memory (MiB)').fill('8');
  await kdf.getByLabel('Parallelism').fill('1');
  await kdf.getByLabel('Master password').fill(PASSWORD);
  await kdf.getByRole('button', { name: 'Change key derivation' }).click();
  await expect(kdf.getByRole('alert')).toContainText('key derivation settings');
  await kdf.getByLabel('Memory (MiB)').fill('16');
  await kdf.getByLabel('Master password').fill('not my master password');
  await kdf.getByRole('button', { name: 'Change key derivation' }).click();
  await expect(page.locator('#field-kdf-current_password-error')).toHaveText('This is not correct.');
  await kdf.getByLabel('Master password').fill(PASSWORD);
  await kdf.getByRole('button', { name: 'Change key derivation' }).click();
  await expect(kdf.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(kdf.getByLabel('Algorithm')).toHaveValue('argon2id');

  // Signing in now derives with Argon2id (prelogin says so) and opens the same keys.
  await signOut(page);
  await signInTo(page, email, '/account');
  await expect(page.getByTestId('fingerprint')).toHaveText(phrase);
});

test('two-step login: turn on, sign in with a code, then with the recovery code', async ({ page }) => {
  const email = uniqueEmail('totp');
  await registerAccount(page, email, 'Tina Totp');

  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('menuitem', { name: 'Account settings' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('#two-step-heading + p')).toContainText('Off');
  await page.getByRole('link', { name: 'Turn on two-step login' }).click();
  await expect(page).toHaveURL(/\/account\/two-step$/);
  await hydrated(page);
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await page.locator('code.secret').textContent())!.trim();

  // A wrong code is refused next to the field; nothing is turned on.
  await page.getByLabel('Verification code').fill('000000' === totpCode(secret) ? '111111' : '000000');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await expect(page.locator('#field-code-error')).toHaveText('This is not correct.');

  await page.getByLabel('Verification code').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  const recovery = (await page.getByTestId('recovery-code').textContent())!.trim();
  expect(recovery).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$/);

  // Signing in now asks for a code; the next step's code is fresh (the first was used).
  await page.context().clearCookies();
  await submitSignIn(page, email);
  await expect(page).toHaveURL(/\/sign-in\/two-step/);
  await hydrated(page);
  await page.getByLabel('Verification code').fill('12345x');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#field-code-error')).toHaveText('This is not correct.');
  await page.getByLabel('Verification code').fill(totpCode(secret, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('Tina Totp');

  // The recovery code signs in and turns two-step login off; the account page says so.
  await page.context().clearCookies();
  await submitSignIn(page, email);
  await expect(page).toHaveURL(/\/sign-in\/two-step/);
  await hydrated(page);
  await page.getByLabel('Verification code').fill(recovery.toLowerCase());
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('#two-step-heading + p')).toContainText('Off');
});

test('sessions are listed and another device can be signed out', async ({ page, browser }) => {
  const email = uniqueEmail('sessions');
  await registerAccount(page, email, 'Sam Sessions');
  const other = await newSignedInPage(browser, email);

  await page.goto('/account');
  await hydrated(page);
  const rows = page.locator('#sessions-heading ~ table tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'This device' })).toHaveCount(1);
  await rows.filter({ hasNotText: 'This device' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(rows).toHaveCount(1);

  await other.reload();
  await expect(other.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await other.context().close();
});

test('changing the password keeps this session and ends the others', async ({ page, browser }) => {
  const email = uniqueEmail('chpw');
  await registerAccount(page, email, 'Pat Password');
  const other = await newSignedInPage(browser, email);

  await page.goto('/account');
  await hydrated(page);
  const before = await unlock(page, PASSWORD);
  const form = page.locator('section', { has: page.locator('#password-heading') });
  await form.getByLabel('Current password').fill('not it at all, sorry');
  await form.getByLabel('New password').fill('a brand new passphrase for pat');
  await form.getByLabel('Repeat the password').fill('a brand new passphrase for pat');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#field-current_password-error')).toHaveText('This is not correct.');

  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await expect(page.locator('#sessions-heading ~ table tbody tr')).toHaveCount(1);

  await other.reload();
  await expect(other.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await other.context().close();

  // The same user key, wrapped again under the new password: the new one signs in, the old
  // one no longer does.
  const later = await (await browser.newContext()).newPage();
  await later.goto('/sign-in');
  await hydrated(later);
  await later.getByLabel('Email address').fill(email);
  await later.getByLabel('Password').fill(PASSWORD);
  await later.getByRole('button', { name: 'Sign in' }).click();
  await expect(later.getByText('The email address or password is incorrect.')).toBeVisible();
  await later.getByLabel('Password').fill('a brand new passphrase for pat');
  await later.getByRole('button', { name: 'Sign in' }).click();
  await expect(later.getByRole('button', { name: 'Account' })).toContainText('Pat Password');
  // Something wrapped before the change opens after it: the private key (wrapped under the
  // user key at registration) gives the same fingerprint phrase as before.
  await later.getByRole('button', { name: 'Account' }).click();
  await later.getByRole('menuitem', { name: 'Account settings' }).click();
  await expect(later.getByTestId('fingerprint')).toHaveText(before);
  await later.context().close();
});

test('the product switcher follows the menu-button keyboard pattern', async ({ page }) => {
  await registerAccount(page, uniqueEmail('keys'), 'Kim Keys');
  await hydrated(page);
  const button = page.getByRole('button', { name: 'Switch product' });
  await button.focus();
  await page.keyboard.press('Enter');
  const first = page.locator('#product-switcher [role=menuitem]').first();
  await expect(first).toBeFocused();
  await expect(first).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('ArrowDown'); // wraps around a one-item menu
  await expect(first).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.locator('#product-switcher')).toBeHidden();
  await expect(button).toBeFocused();
  await page.keyboard.press(' ');
  await expect(first).toBeFocused();
});

test('the account page sends visitors to sign in and returns them afterwards', async ({ page }) => {
  const email = uniqueEmail('return');
  await registerAccount(page, email, 'Ray Return');
  await page.context().clearCookies();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in\?redirect_to=%2Faccount$/);
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Account settings' })).toBeVisible();
});

test('an email change waits for the new address to confirm it, and tells the old one', async ({ page, browser }) => {
  const email = uniqueEmail('move');
  const moved = uniqueEmail('moved');
  await registerAccount(page, email, 'Mo Move');
  await page.goto('/account');
  await hydrated(page);
  await expect(page.getByText('Verified', { exact: true })).toBeVisible();
  const profile = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Profile' }) });
  await profile.locator('#field-email-email').fill(moved);
  await profile.locator('#field-email-current_password').fill(PASSWORD);
  await profile.getByRole('button', { name: 'Change email' }).click();
  await expect(profile.getByText(`Requested. Your address changes to ${moved} once it is confirmed.`)).toBeVisible();
  await expect(page.getByTestId('address-pending')).toContainText(moved);
  await expect(page.getByRole('button', { name: 'Account' })).toContainText('Mo Move');

  // The link mailed to the new address makes the change.
  const mail = await mailTo(moved, 'Confirm your sign-in address');
  await page.goto(linkIn(mail, '/verify-email/'));
  await hydrated(page);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('#field-email-email')).toHaveValue(moved);
  await expect(page.getByTestId('address-pending')).toHaveCount(0);
  const told = await mailTo(email, 'Your sign-in address was changed');
  expect(told.text).toContain(moved);

  // The keys were derived with the first address as salt, which the account keeps: signing
  // in at the new address still opens them.
  const elsewhere = await newSignedInPage(browser, moved);
  await expect(elsewhere.getByRole('button', { name: 'Account' })).toContainText('Mo Move');
  await elsewhere.context().close();
});
