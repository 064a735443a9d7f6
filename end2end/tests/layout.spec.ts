import { test, expect, type Locator, type Page } from '@playwright/test';
import { hydrated, signIn } from './fixtures';

// Issue 19: at a phone's width the top bar ran off the screen, the side navigation was a strip
// wider than the screen, "+ New client" was cut off and the Clients table pushed the page
// sideways. Checked at the narrowest phone the layout supports and a common one.

async function expectInViewport(page: Page, element: Locator, what: string): Promise<void> {
  const viewport = page.viewportSize();
  if (viewport === null) throw new Error('no viewport');
  const box = await element.boundingBox();
  if (box === null) throw new Error(`${what} is not rendered`);
  expect(box.x, `${what} left`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} right`).toBeLessThanOrEqual(viewport.width + 0.5);
}

/** The page itself never scrolls sideways: anything wide scrolls inside its own box. */
async function expectNoSidewaysScroll(page: Page, path: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
}

for (const width of [360, 390]) {
  test(`a provider admin's pages fit a ${width} px phone`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await signIn(page, 'admin@demo.example');
    for (const path of [
      '/',
      "/providers/1/clients?q=Client's",
      '/providers/1/manage/members',
      '/providers/1/manage/events',
      '/providers/1/billing/subscription',
      '/organizations/1',
      '/organizations/1/members',
      '/account',
    ]) {
      await page.goto(path);
      await hydrated(page);
      await expectNoSidewaysScroll(page, path);
      for (const name of ['Switch product', 'Change language', 'Account']) {
        await expectInViewport(page, page.locator('.topbar').getByRole('button', { name }), `${path}: ${name}`);
      }
    }

    // The Clients page: its actions on screen, the table scrolling inside its box with the
    // client's name kept in view, every column and the ⋮ reachable.
    await page.goto("/providers/1/clients?q=Client's");
    await hydrated(page);
    await expectInViewport(page, page.getByRole('link', { name: '+ New client' }), '+ New client');
    const firstRow = page.locator('table.data-table tbody tr').first();
    await page.locator('.table-scroll').evaluate((box) => (box.scrollLeft = box.scrollWidth));
    await expectInViewport(page, firstRow.locator('th'), 'the client name after scrolling');
    await expectInViewport(page, firstRow.locator('td').nth(3), 'the plan after scrolling');
    await expect(firstRow.locator('td').nth(3)).toHaveText('Enterprise');
    await expectInViewport(page, firstRow.locator('.menu-button'), 'the row menu after scrolling');

    // The side navigation is a drawer behind "Menu"; following a link closes it.
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    const toggle = nav.getByRole('button', { name: 'Menu' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(nav.getByRole('link', { name: 'Members' })).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expectInViewport(page, nav.getByRole('link', { name: 'Members' }), 'the drawer');
    await page.keyboard.press('Escape');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(toggle).toBeFocused();
    await toggle.click();
    await nav.getByRole('link', { name: 'Members' }).click();
    await expect(page).toHaveURL(/\/providers\/1\/manage\/members$/);
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(nav.getByRole('link', { name: 'Members' })).toBeHidden();

    // A dialog is a sheet across the whole width.
    await page.goto("/providers/1/clients?dialog=new-client");
    await hydrated(page);
    const dialog = page.getByRole('dialog', { name: 'New client' });
    const box = await dialog.boundingBox();
    expect(box?.width).toBe(width);
    await expectInViewport(page, dialog.getByRole('button', { name: 'Create client' }), 'Create client');
  });
}
