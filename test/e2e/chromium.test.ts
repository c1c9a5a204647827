// The browser tests need Debian's Chromium: without it this test fails (never skips) and says how to install it.
import { expect, it } from 'vitest';
import { SETUP_TIMEOUT, launchChromium } from './harness.js';

it("Debian's Chromium is installed and starts headless", async () => {
  const browser = await launchChromium();
  try {
    expect(browser.version()).toMatch(/^\d+\./);
  } finally {
    await browser.close();
  }
}, SETUP_TIMEOUT);
