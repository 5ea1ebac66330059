#!/usr/bin/env node
// Screenshot helper for checking the UI by eye: node web/tools/shot.mjs URL OUT.png [--user U --pass P] [--wait MS] [--full]
// Prints console errors, failed requests and CSP violations.
import { chromium } from 'playwright-core';
const a = process.argv.slice(2);
const arg = (k, d) => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : d; };
const [url, out] = a;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: Number(arg('--width', 1440)), height: Number(arg('--height', 900)) } });
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[console.${m.type()}]`, m.text()); });
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
page.on('requestfailed', (r) => console.log('[requestfailed]', r.url(), r.failure()?.errorText));
page.on('response', (r) => { if (r.status() >= 400) console.log('[http]', r.status(), r.url()); });
const origin = new URL(url).origin;
if (arg('--user')) {
  await page.goto(origin + '/#/login');
  await page.fill('[data-test=username]', arg('--user'));
  await page.fill('[data-test=password]', arg('--pass'));
  await page.click('[data-test=login]');
  await page.waitForSelector('[data-test=user-court]', { timeout: 10000 });
}
await page.goto(url);
await page.waitForTimeout(Number(arg('--wait', 1500)));
const clicks = a.filter((x, i) => a[i - 1] === '--click');
for (const c of clicks) { await page.click(c); await page.waitForTimeout(800); }
await page.screenshot({ path: out, fullPage: a.includes('--full') });
console.log('saved', out);
await browser.close();
