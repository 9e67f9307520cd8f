import { mkdirSync } from 'node:fs'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'

interface Teardown { teardown(fn: () => unknown): void }

/** Debian's Chromium, headless; playwright-core never downloads a browser. */
export async function launchChromium (t: Teardown): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
  t.teardown(() => browser.close())
  return browser
}

/** A phone-sized page (the console shows the phone next to its toolbar). */
export async function newPage (browser: Browser, width = 720, height = 940): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', deviceScaleFactor: 1 })
  return context.newPage()
}

/**
 * Screenshots for the docs are written only when SANDBOX_SCREENSHOTS names a directory
 * (e.g. `SANDBOX_SCREENSHOTS=docs`), so an ordinary test run leaves the tree unchanged.
 */
export async function keepScreenshot (page: Page, name: string): Promise<void> {
  const dir = process.env.SANDBOX_SCREENSHOTS
  if (dir === undefined || dir === '') return
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: `${dir}/${name}` })
}

/** WeChat's avatar CDN, answered locally: tests never leave 127.0.0.1. */
export async function serveAvatars (page: Page): Promise<void> {
  await page.route('https://thirdwx.qlogo.cn/**', (route) => route.fulfill({
    contentType: 'image/svg+xml',
    body: '<svg xmlns="http://www.w3.org/2000/svg" width="132" height="132"><rect width="132" height="132" rx="12" fill="#5b8def"/>' +
      '<circle cx="66" cy="52" r="24" fill="#fff"/><rect x="26" y="84" width="80" height="40" rx="20" fill="#fff"/></svg>'
  }))
}
