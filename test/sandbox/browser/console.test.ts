import { t as tap, test } from 'tap'
import { reply } from '../../../src/protocol/reply.js'
import { startSandbox } from '../../../sandbox/sandbox-app.js'
import { ACCOUNT_ID, SHARED, startWemp } from '../wemp-server.js'
import { keepScreenshot, launchChromium, newPage } from './chromium.js'

// Chromium is slow to start on a busy machine: more than tap's 30 s per file.
tap.setTimeout(120_000)

test('the chat console against wemp in safe mode: text echo, location, news card, details, customer-service message', async (t) => {
  const wemp = await startWemp(t, { messageMode: 'safe' }, {
    link: (m) => reply.news([{ title: `已收藏：${m.Title}`, description: '点击查看你收藏的文章', picUrl: 'https://example.com/cover.png', url: m.Url }])
  })
  const sandbox = await startSandbox({ ...SHARED, mode: 'safe', serverUrl: wemp.url, accountId: ACCOUNT_ID, accountName: 'wemp 测试号' })
  t.teardown(() => sandbox.close())
  const browser = await launchChromium(t)
  const page = await newPage(browser)
  await page.goto(sandbox.url)
  await page.waitForSelector('body[data-ready="true"]')
  t.equal(await page.textContent('#account-name'), 'wemp 测试号')
  t.equal(await page.inputValue('#mode'), 'safe')

  await page.fill('#message', '北京天气')
  await page.click('#send')
  await page.waitForSelector('.row.account .bubble')
  t.equal(await page.textContent('.row.fan .bubble'), '北京天气', 'the fan bubble, on the right')
  t.equal(await page.textContent('.row.account .bubble'), '北京天气', 'the echo, from the account')

  await page.click('#more')
  await page.click('[data-action="location"]')
  await page.click('#places button:has-text("上海外滩")')
  await page.waitForSelector('.row.account .bubble:has-text("你的位置：上海外滩")')
  t.equal(await page.locator('.row.fan .card .title').first().textContent(), '上海外滩')

  await page.click('#more')
  await page.click('[data-action="link"]')
  await page.fill('#panel-input', 'https://mp.weixin.qq.com/s/wemp')
  await page.click('#panel-form button')
  await page.waitForSelector('.news-cover')
  t.equal(await page.textContent('.news-cover'), '已收藏：https://mp.weixin.qq.com/s/wemp', 'a news card')

  const details = page.locator('details.exchange').first()
  await details.locator('summary').click()
  t.match(await details.textContent(), /安全模式[\s\S]*#1 answered HTTP 200[\s\S]*请求 XML（明文）[\s\S]*北京天气[\s\S]*回复（解密后）[\s\S]*✓ MsgSignature 校验通过/)
  await details.locator('summary').click()

  // The server later sends a customer-service message through the sandbox's API.
  const token = await (await fetch(`${sandbox.url}/cgi-bin/stable_token`, {
    method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: SHARED.appId, secret: SHARED.appSecret })
  })).json() as { access_token: string }
  await fetch(`${sandbox.url}/cgi-bin/message/custom/send?access_token=${token.access_token}`, {
    method: 'POST', body: JSON.stringify({ touser: 'oSandboxFan00000000000000001', msgtype: 'text', text: { content: '明天北京晴，记得防晒 ☀️' } })
  })
  await page.waitForSelector('.bubble.kf:has-text("明天北京晴")', { timeout: 5000 })
  t.pass('the customer-service message appears in the chat')
  await keepScreenshot(page, 'sandbox-console.png')

  await page.selectOption('#fan', 'oSandboxFan00000000000000002')
  t.equal(await page.locator('.row').count(), 0, 'another fan, another conversation')
  await page.selectOption('#fan', 'oSandboxFan00000000000000001')
  t.ok(await page.locator('.row').count() >= 6, 'and back')

  await page.fill('#new-fan-name', '<img src=x onerror=alert(1)>')
  await page.click('#new-fan button')
  await page.waitForFunction(() => (document.querySelector('#message') as HTMLInputElement).placeholder.includes('<img'))
  await page.fill('#message', '<b>不是粗体</b>')
  await page.click('#send')
  await page.waitForSelector('.row.account .bubble')
  t.equal(await page.locator('.row.account .bubble').textContent(), '<b>不是粗体</b>', 'text stays text')
  t.equal(await page.locator('.row b').count(), 0)
})

test('menu click, transfer to customer service, and a push the server refuses', async (t) => {
  const wemp = await startWemp(t, {}, { text: () => reply.transferToCustomerService('kf2001@wemp') })
  const sandbox = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: wemp.url, accountId: ACCOUNT_ID })
  t.teardown(() => sandbox.close())
  const browser = await launchChromium(t)
  const page = await newPage(browser)
  await page.goto(sandbox.url)
  await page.waitForSelector('body[data-ready="true"]')
  await page.fill('#message', '转人工')
  await page.click('#send')
  await page.waitForSelector('.system:has-text("消息已转接到客服 kf2001@wemp")')

  await page.click('#more')
  await page.click('[data-action="click"]')
  await page.fill('#panel-input', 'V1001_WEATHER')
  await page.click('#panel-form button')
  await page.waitForSelector('.row.account .bubble:has-text("菜单：V1001_WEATHER")')
  t.match(await page.textContent('.system:has-text("点击了菜单")'), /小明 点击了菜单（key V1001_WEATHER）/)

  // An encrypted push to a plain-mode server: wemp answers 400, WeChat gives up after the retries.
  await page.selectOption('#mode', 'safe')
  await page.click('#more')
  await page.click('[data-action="subscribe"]')
  await page.click('#panel-form button')
  await page.waitForSelector('.system.error:has-text("该公众号暂时无法提供服务")')
  t.match(await page.textContent('.system.error .why'), /4 次投递都失败.*HTTP 400.*plain mode does not accept encrypted pushes/)
  t.match(await page.textContent('.system:has-text("关注了公众号")'), /小明 关注了公众号/)
})
