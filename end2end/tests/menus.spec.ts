import { test, expect, type Locator, type Page } from '@playwright/test';
import { hydrated, signIn } from './fixtures';

// Issue 19: a row's ⋮ menu opened inside the table's scrolling box and was cut off at its
// edge. Menus are now placed in viewport coordinates: whatever the width, every item is on
// screen and is what a click at its middle reaches (nothing clips or covers it).

/** Every item of `items` lies inside the viewport and is the topmost element at its middle. */
async function expectWhollyReachable(page: Page, items: Locator): Promise<void> {
  const viewport = page.viewportSize();
  if (viewport === null) throw new Error('no viewport');
  const count = await items.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const item = items.nth(i);
    const box = await item.boundingBox();
    if (box === null) throw new Error(`item ${i} is not rendered`);
    expect(box.x, `item ${i} left`).toBeGreaterThanOrEqual(0);
    expect(box.y, `item ${i} top`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `item ${i} right`).toBeLessThanOrEqual(viewport.width);
    expect(box.y + box.height, `item ${i} bottom`).toBeLessThanOrEqual(viewport.height);
    const onTop = await item.evaluate((element) => {
      const rect = element.getBoundingClientRect();
      const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
      return hit !== null && element.contains(hit);
    });
    expect(onTop, `item ${i} is covered or clipped`).toBe(true);
  }
}

/** Opens the menu of `button`, checks its items, closes it with Escape (focus back on it). */
async function checkMenu(page: Page, button: Locator): Promise<void> {
  await button.click();
  const menu = page.locator(`#${await button.getAttribute('aria-controls')}`);
  await expect(menu).toBeVisible();
  await expectWhollyReachable(page, menu.locator('[role^=menuitem]'));
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();
}

// A desktop, a short laptop window (the last row's menu has no room below and opens above),
// and a phone.
for (const [width, height] of [
  [1366, 768],
  [1024, 430],
  [390, 844],
]) {
  test(`menus stay whole on screen at ${width}×${height}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await signIn(page, 'admin@demo.example');
    await page.goto("/providers/1/clients?q=Client's");
    await hydrated(page);
    const rowMenus = page.locator('table.data-table tbody .menu-button');
    await expect(rowMenus).toHaveCount(3);
    await checkMenu(page, rowMenus.first());
    await checkMenu(page, rowMenus.last());

    await page.goto('/providers/1/manage/members');
    await hydrated(page);
    const memberMenus = page.locator('table.data-table tbody .menu-button');
    await expect(memberMenus.first()).toBeVisible();
    await checkMenu(page, memberMenus.last());

    // The top bar's menus.
    for (const name of ['Switch product', 'Change language', 'Account']) {
      await checkMenu(page, page.locator('.topbar').getByRole('button', { name }));
    }
  });
}
