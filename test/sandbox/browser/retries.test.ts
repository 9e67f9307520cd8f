import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { t as tap, test } from 'tap'
import { startSandbox } from '../../../sandbox/sandbox-app.js'
import { SHARED } from '../wemp-server.js'
import { launchChromium, newPage } from './chromium.js'

// WeChat's real 5-second deadline, kept: this test takes about 20 s, more than tap's 30 s per
// file allows once Chromium has started on a busy machine.
tap.setTimeout(120_000)

test('a server that answers in 6 s: the console shows the wait, three retries, then WeChat\'s error', { timeout: 90_000 }, async (t) => {
  const arrivals: number[] = []
  const server = createServer((req, res) => {
    arrivals.push(Date.now())
    req.resume()
    setTimeout(() => res.end('success'), 6000).unref()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const sandbox = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat` })
  t.teardown(() => sandbox.close())

  const browser = await launchChromium(t)
  const page = await newPage(browser)
  await page.goto(sandbox.url)
  await page.waitForSelector('body[data-ready="true"]')
  await page.fill('#message', '在吗？')
  await page.click('#send')
  await page.waitForSelector('.pending:has-text("等待公众号回复… 6 s")', { timeout: 10_000 })
  t.pass('the console shows how long it has waited')
  await page.waitForSelector('.system.error', { timeout: 40_000 })
  t.equal(await page.locator('.system.error').evaluate((node) => node.firstChild?.textContent), '该公众号暂时无法提供服务，请稍后再试')
  t.match(await page.textContent('.system.error .why'), /4 次投递都失败，最后一次：5 秒内没有回复/)
  t.equal(await page.locator('.row.account').count(), 0, 'no reply bubble')
  t.equal(await page.locator('.pending').count(), 0)

  await page.click('details.exchange summary')
  const details = await page.textContent('details.exchange')
  t.match(details, /重试 3 次/)
  t.match(details, /#1 timeout[\s\S]*#2 timeout[\s\S]*#3 timeout[\s\S]*#4 timeout/)
  t.equal(arrivals.length, 4, 'the server saw the first delivery and three retries')
  for (let i = 1; i < arrivals.length; i++) {
    const gap = (arrivals[i] as number) - (arrivals[i - 1] as number)
    t.ok(gap >= 4500 && gap < 8000, `retry ${i} came after the 5 s deadline (${gap} ms)`)
  }
})
