// Times opening a vault of N items in Chromium (issue 22: fetch + decrypt + first render).
// Not part of the test command: a figure for the README and the issue notes. Usage, against a
// portal on SQLite with the demo data (DEMO_PASSWORD "correct horse battery staple"):
//   PORTAL_URL=http://127.0.0.1:3000 PORTAL_SERVER_BIN=target/debug/server \
//   PORTAL_DB_FILE=/path/to/portal.db node end2end/timing-vault.mjs [items] [runs]
// Adds `items` generated logins to the demo admin's own vault through the operator's command
// line (`server seed-vault`, sealed natively with the admin's keys), signs in (the tab is then
// unlocked), and times, `runs` times: the Vault link clicked → the first row on screen (every
// sync page fetched, every item and its key opened in the browser, the list's first rows
// rendered; the rest are built as the list is scrolled), then prints the count line.
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const base = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
const server = process.env.PORTAL_SERVER_BIN;
const database = process.env.PORTAL_DB_FILE;
if (!server || !database) throw new Error('set PORTAL_SERVER_BIN and PORTAL_DB_FILE');
const items = Number(process.argv[2] ?? 5000);
const runs = Number(process.argv[3] ?? 3);
const password = 'correct horse battery staple';

const made = Date.now();
const seed = spawnSync(server, ['seed-vault', '--items', String(items)], {
  env: { ...process.env, DATABASE_URL: `sqlite://${database}`, DEMO_PASSWORD: password, RUST_LOG: 'warn' },
});
if (seed.status !== 0) throw new Error(`seed-vault: ${seed.stderr}`);
console.log(`${items} items sealed and stored in ${Date.now() - made} ms`);

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
for (let run = 1; run <= runs; run++) {
  // From another page by its link: the tab stays unlocked, the vault is fetched afresh.
  await page.getByRole('link', { name: 'Account', exact: true }).click();
  await page.waitForURL('**/account');
  const started = Date.now();
  await page.getByRole('link', { name: 'Vault', exact: true }).click();
  await page.getByTestId('vault-items').locator('li').first().waitFor();
  const opened = Date.now() - started;
  const rows = await page.getByTestId('vault-items').locator('li').count();
  const count = await page.getByTestId('vault-count').textContent();
  console.log(`run ${run}: "${count}", ${rows} rows built; link clicked → first row shown in ${opened} ms`);
}
await browser.close();
