import { test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { PASSWORD } from './fixtures';

// Zero knowledge (VAULT.md rule V1): after every journey has run (this project depends on the
// others), the database file holds none of the master passwords and vault secrets the journeys typed, neither as
// text nor as base64: the browser sent login hashes and keys, never a password. The scan reads
// the raw file (and its write-ahead log), so rows, indexes and freed pages alike are covered.
const TYPED = [
  PASSWORD,
  'a brand new passphrase for pat',
  'violet kettle marches sideways at dawn',
  'not it at all, sorry',
  'not the password at all',
  // Typed by an admin in the recovery dialog (their browser re-wraps the member's key with it),
  // then the member's own new password.
  'tangerine lighthouse velvet orbit',
  'quiet meadow copper saxophone',
  // Typed into vault items (vault.spec.ts): sealed in the browser, never sent in the clear.
  'opal harbor lantern 9317',
  'JBSWY3DPEHPK3PXP',
  '4111111111111111',
  'the alarm code is 4512 then hash',
  'PRIVATE KEY of the deploy robot',
  // A login's passwords (one of them now in its history) and a hidden custom field.
  'saffron tunnel 2280 first',
  'cobalt willow 6614 second',
  'pin-9081-7264-x',
];

test('the database holds no typed master password, as text or base64', () => {
  const file = process.env.PORTAL_DB_FILE;
  expect(file, 'the test command names the database file (PORTAL_DB_FILE)').toBeTruthy();
  const parts = [file as string, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path));
  expect(parts.length).toBeGreaterThan(0);
  // The scan sees what is there: an address the journeys typed.
  expect(parts.some((bytes) => bytes.includes(Buffer.from('admin@demo.example')))).toBe(true);
  for (const password of TYPED) {
    for (const form of [password, Buffer.from(password, 'utf8').toString('base64')]) {
      for (const bytes of parts) {
        expect(bytes.includes(Buffer.from(form, 'utf8')), `"${form}" is in the database`).toBe(false);
      }
    }
  }
});
