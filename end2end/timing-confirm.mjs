// Times a bulk Confirm of N provider members in Chromium (issue 21: the confirming browser
// wraps the provider key to each member's public key and shows each fingerprint phrase). Not
// part of the test command: a figure for the README and the issue notes. Usage, against a
// portal on SQLite with the demo data (DEMO_PASSWORD "correct horse battery staple"):
//   PORTAL_URL=http://127.0.0.1:3000 PORTAL_SERVER_BIN=target/debug/server \
//   PORTAL_DB_FILE=/path/to/portal.db node end2end/timing-confirm.mjs [members]
// Makes `members` accounts with keys through the operator's command line, adds each to Demo
// MSP as an accepted service user (the state an accepted invitation leaves), then times, as
// the demo admin in a tab whose keys are locked: dialog opened → every phrase shown, and
// Confirm clicked → every row confirmed (unlocking with the master password, opening the
// provider key, N wraps, the server's N transactions).
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const base = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
const server = process.env.PORTAL_SERVER_BIN;
const database = process.env.PORTAL_DB_FILE;
if (!server || !database) throw new Error('set PORTAL_SERVER_BIN and PORTAL_DB_FILE');
const count = Number(process.argv[2] ?? 50);
const password = 'correct horse battery staple';
const tag = `bench-${Date.now()}`;

const made = Date.now();
const emails = [];
for (let i = 0; i < count; i++) {
  const email = `${tag}-${String(i).padStart(3, '0')}@example.com`;
  const run = spawnSync(server, ['user', 'create', '--email', email, '--name', `Bench ${i}`], {
    input: password,
    env: { ...process.env, DATABASE_URL: `sqlite://${database}`, RUST_LOG: 'warn' },
  });
  if (run.status !== 0) throw new Error(`user create: ${run.stderr}`);
  emails.push(email);
}
// Accepted service users of Demo MSP (provider 1), as accepting an invitation leaves them.
const insert = spawnSync('python3', ['-c', `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for email in sys.argv[2:]:
    user = db.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()[0]
    db.execute("INSERT INTO provider_users (provider_id, user_id, email, type, status, created_at) "
               "VALUES (1, ?, ?, 'service_user', 'accepted', datetime('now'))", (user, email))
db.commit()
`, database, ...emails]);
if (insert.status !== 0) throw new Error(`insert: ${insert.stderr}`);
console.log(`${count} accounts with keys made and added in ${Date.now() - made} ms`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await (await browser.newContext({ baseURL: base })).newPage();
await page.goto('/sign-in');
await page.waitForSelector('html[data-hydrated="true"]');
await page.getByLabel('Email address').fill('admin@demo.example');
await page.getByLabel('Password').fill(password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('button', { name: 'Account' }).waitFor();
// A new page load: the tab's keys are locked, as after any reload.
await page.goto(`/providers/1/manage/members?status=accepted&q=${tag}`);
await page.waitForSelector('html[data-hydrated="true"]');
for (const email of emails) await page.getByRole('checkbox', { name: `Select ${email}` }).check();
const opened = Date.now();
await page.getByRole('group', { name: 'Selected members:' }).getByRole('button', { name: 'Confirm' }).click();
await page.waitForURL(/dialog=confirm/);
await page.waitForSelector('html[data-hydrated="true"]');
const dialog = page.getByRole('dialog', { name: 'Confirm members' });
await dialog.getByRole('button', { name: 'Confirm' }).and(page.locator(':enabled')).waitFor();
const phrases = await dialog.getByTestId('member-fingerprint').allTextContents();
if (phrases.length !== count || phrases.some((p) => !/^[a-z]+(-[a-z]+){4}$/.test(p))) {
  throw new Error(`expected ${count} phrases, got ${JSON.stringify(phrases.slice(0, 3))}…`);
}
const shown = Date.now() - opened;
await dialog.getByLabel('Master password').fill(password);
const start = Date.now();
await dialog.getByRole('button', { name: 'Confirm' }).click();
await dialog.getByText(`${count} done, 0 not changed.`).waitFor({ timeout: 120000 });
const confirmed = Date.now() - start;
console.log(`bulk confirm of ${count}: dialog opened → ${count} phrases shown ${shown} ms; Confirm → ${count} confirmed ${confirmed} ms (includes unlocking the tab)`);
await browser.close();
