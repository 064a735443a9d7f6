import { expect, type Page } from '@playwright/test';

/** Waits until the wasm bundle has hydrated the page (the shell sets this attribute). */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}
