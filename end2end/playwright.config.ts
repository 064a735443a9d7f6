import { defineConfig } from '@playwright/test';

// The test command (.ci/test) builds the release site, starts a fresh server on a fresh
// database and passes its address in PORTAL_URL. Chromium is Debian's: Playwright's own
// browser download is not available (and not needed).
const baseURL = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  // A journey signs in or registers several times, and each derives keys in the browser
  // (PBKDF2 600,000, an RSA-2048 pair: one to two seconds on a 2-core machine): the longest
  // took 28.7 s on one, too close to the former 30 s.
  timeout: 60_000,
  // Screenshots: a few pixels may differ (anti-aliasing), not a layout.
  expect: { timeout: 10_000, toHaveScreenshot: { maxDiffPixelRatio: 0.002 } },
  // CI compares with the committed screenshot baselines and never writes missing ones.
  updateSnapshots: process.env.CI ? 'none' : 'missing',
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // The Admin Console journey and vault sharing change demo organizations whose seed figures
  // other specs read (members, seats, a collection's items): they run once those are done. The
  // database scan runs after every journey, on what they wrote.
  projects: [
    { name: 'chromium', testIgnore: /(console|vault-sharing|scan)\.spec\.ts/ },
    { name: 'console', testMatch: /(console|vault-sharing)\.spec\.ts/, dependencies: ['chromium'] },
    { name: 'scan', testMatch: /scan\.spec\.ts/, dependencies: ['console'] },
  ],
});
