import { test, expect, type Page } from '@playwright/test';
import { hydrated, PASSWORD, registerWithProvider } from './fixtures';

// Issue 19: the look of the main screens, compared with committed baselines
// (`screenshots.spec.ts-snapshots/`) at a desktop's and a phone's width, in both themes. The
// data is made here on the test command's fresh database, so every run draws the same
// pictures; the fonts are Debian's DejaVu, installed by the setup script.
// After an intended change of the look: `npx playwright test screenshots --update-snapshots`
// against the test command's server, then look at every new picture before committing it.

test.describe.configure({ mode: 'serial' });

async function settle(page: Page): Promise<void> {
  await hydrated(page);
  await page.evaluate(() => document.fonts.ready);
}

test('the main screens look as they did', async ({ page }) => {
  test.setTimeout(120_000);
  // A fixed address: it is on screen (the billing email). The test command's database is new.
  const { provider } = await registerWithProvider(page, 'Robin Shot', 'Shot MSP', 'robin@shots.example');
  for (const [name, seats, owner] of [
    ['Harbour Dental', '12', 'owner@harbour.example'],
    ['Northwind Logistics with a rather long name', '40', 'it@northwind.example'],
  ]) {
    await page.goto(`/providers/${provider}/clients?dialog=new-client`);
    await settle(page);
    const dialog = page.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Organization name').fill(name);
    await dialog.getByLabel('Seats').fill(seats);
    await dialog.getByLabel("Client owner's email").fill(owner);
    // Each page load locks the tab: the client's key needs the master password.
    await dialog.getByLabel('Master password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await expect(dialog).toHaveCount(0);
  }
  await page.getByRole('link', { name: 'Harbour Dental' }).click();
  await expect(page).toHaveURL(/\/organizations\/\d+$/);
  const console = page.url();
  const clients = `/providers/${provider}/clients`;

  for (const [width, height] of [
    [1366, 768],
    [390, 844],
  ]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      const shot = (what: string) => `${what}-${width}-${scheme}.png`;

      await page.goto(clients);
      await settle(page);
      await expect(page).toHaveScreenshot(shot('clients'));

      await page.getByRole('button', { name: 'Switch product' }).click();
      await expect(page.locator('#product-switcher')).toBeVisible();
      await expect(page).toHaveScreenshot(shot('switcher'));
      await page.keyboard.press('Escape');

      await page.goto(`${clients}?dialog=new-client`);
      await settle(page);
      await expect(page).toHaveScreenshot(shot('new-client'));

      await page.goto(console);
      await settle(page);
      await expect(page).toHaveScreenshot(shot('console'));
    }
  }
});
