// Times the zero-knowledge account flows in Chromium against a running portal (not part of
// the test command: figures for the README and the issue notes). Usage:
//   PORTAL_URL=http://127.0.0.1:3000 node end2end/timing.mjs [runs]
// Signs in as the demo admin (DEMO_PASSWORD "correct horse battery staple") `runs` times, each
// in a fresh context (empty cache), timing submit → signed in (keys opened); unlocks the
// account page after a reload `runs` times, timing submit → fingerprint phrase shown; and
// registers up to five times with mail off, timing submit → answer.
import { chromium } from '@playwright/test';

const base = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
const runs = Number(process.argv[2] ?? 20);
const password = 'correct horse battery staple';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});

async function page() {
  const context = await browser.newContext({ baseURL: base });
  return context.newPage();
}

async function hydrated(p) {
  await p.waitForSelector('html[data-hydrated="true"]');
}

const signIns = [];
for (let i = 0; i < runs; i++) {
  const p = await page();
  await p.goto('/sign-in');
  await hydrated(p);
  await p.getByLabel('Email address').fill('admin@demo.example');
  await p.getByLabel('Password').fill(password);
  const start = Date.now();
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('button', { name: 'Account' }).waitFor();
  signIns.push(Date.now() - start);
  await p.context().close();
}
signIns.sort((a, b) => a - b);
const p50 = signIns[Math.floor(signIns.length / 2)];
console.log(`sign-in (submit → signed in), ${runs} runs: p50 ${p50} ms, min ${signIns[0]} ms, max ${signIns.at(-1)} ms`);

const unlocks = [];
{
  const p = await page();
  await p.goto('/sign-in?redirect_to=%2Faccount');
  await hydrated(p);
  await p.getByLabel('Email address').fill('admin@demo.example');
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByTestId('fingerprint').waitFor();
  for (let i = 0; i < runs; i++) {
    await p.reload();
    await hydrated(p);
    await p.getByRole('region', { name: 'Encryption keys' }).getByLabel('Master password').fill(password);
    const start = Date.now();
    await p.getByRole('button', { name: 'Unlock' }).click();
    await p.getByTestId('fingerprint').waitFor();
    unlocks.push(Date.now() - start);
  }
  await p.context().close();
}
unlocks.sort((a, b) => a - b);
console.log(`unlock (submit → keys open), ${runs} runs: p50 ${unlocks[Math.floor(unlocks.length / 2)]} ms, min ${unlocks[0]} ms, max ${unlocks.at(-1)} ms`);

const registrations = [];
for (let i = 0; i < Math.min(runs, 5); i++) {
  const p = await page();
  await p.goto('/register');
  await hydrated(p);
  await p.getByLabel('Email address').fill(`timing-${Date.now()}-${i}@example.com`);
  await p.getByLabel('Name').fill('Tim Timing');
  await p.getByLabel('Password', { exact: true }).fill(password);
  await p.getByLabel('Repeat the password').fill(password);
  const start = Date.now();
  await p.getByRole('button', { name: 'Create account' }).click();
  await p.waitForURL((url) => !url.pathname.startsWith('/register') || url.pathname.startsWith('/register/sent'));
  registrations.push(Date.now() - start);
  await p.context().close();
}
registrations.sort((a, b) => a - b);
console.log(`register (submit → answer, keys made in the browser), ${registrations.length} runs: p50 ${registrations[Math.floor(registrations.length / 2)]} ms, min ${registrations[0]} ms, max ${registrations.at(-1)} ms`);
await browser.close();
