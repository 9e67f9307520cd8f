import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { t as tap, test } from 'tap'
import { runCli } from '../../../cli/program.js'
import { qrCodePng } from '../../../sandbox/platform/qr-image.js'
import { DEFAULT_TEMPLATE_ID } from '../../../sandbox/platform/template-registry.js'
import { startSandbox } from '../../../sandbox/sandbox-app.js'
import type { RunningSandbox } from '../../../sandbox/sandbox-app.js'
import { reply } from '../../../src/protocol/reply.js'
import { ACCOUNT_ID, SHARED, startWemp } from '../wemp-server.js'
import { keepScreenshot, launchChromium, newPage } from './chromium.js'

// Chromium is slow to start on a busy machine: more than tap's 30 s per file.
tap.setTimeout(120_000)

const XIAOMING = 'oSandboxFan00000000000000001'

interface Teardown { teardown(fn: () => unknown): void }

/** `wemp …` in-process, configured for the sandbox's account as an operator would be. */
function wempCli (sandbox: RunningSandbox, dir: string) {
  const env = { WECHAT_TOKEN: SHARED.token, WECHAT_APPID: SHARED.appId, WECHAT_APPSECRET: SHARED.appSecret, WECHAT_API_BASE: sandbox.url }
  return async (...args: string[]): Promise<{ code: number, out: string }> => {
    let out = ''
    const code = await runCli(args, env, { stdout: { write: (s: string) => { out += s } }, stderr: { write: (s: string) => { out += s } }, cwd: dir })
    return { code, out }
  }
}

async function setUp (t: Teardown, handlers: Parameters<typeof startWemp>[2]) {
  const wemp = await startWemp(t, {}, handlers)
  const sandbox = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: wemp.url, accountId: ACCOUNT_ID, accountName: 'wemp 测试号' })
  t.teardown(() => sandbox.close())
  const dir = mkdtempSync(join(tmpdir(), 'wemp-console-'))
  return { wemp, sandbox, dir, cli: wempCli(sandbox, dir) }
}

test('a menu pushed with the CLI shows at the bottom of the chat; a click gets the bot\'s answer, a view opens the page', async (t) => {
  const { wemp, sandbox, dir, cli } = await setUp(t, { CLICK: (e) => reply.text(e.EventKey === 'WEATHER' ? '今天北京晴，15°C' : `菜单：${e.EventKey}`) })
  writeFileSync(join(dir, 'menu.json'), JSON.stringify({ button: [
    { type: 'click', name: '今日天气', key: 'WEATHER' },
    { name: '更多', sub_button: [
      { type: 'view', name: '健康检查', url: `${wemp.base}/healthz` },
      { type: 'click', name: '赞一下', key: 'LIKE' }
    ] }
  ] }))
  const browser = await launchChromium(t)
  const page = await newPage(browser)
  await page.goto(sandbox.url)
  await page.waitForSelector('body[data-ready="true"]')
  t.ok(await page.isHidden('#qr-select'), 'no QR codes yet: no list')
  t.ok(await page.isHidden('#menubar'), 'no menu yet: the keyboard')
  t.ok(await page.isVisible('#composer'))

  t.equal((await cli('menu', 'push', 'menu.json')).code, 0)
  await page.waitForSelector('#menubar:not([hidden])')
  t.same(await page.locator('.menubar-button').allTextContents(), ['今日天气', '更多'])
  t.ok(await page.isHidden('#composer'), 'the menu replaces the keyboard, as in WeChat')

  await page.click('.menubar-button:has-text("今日天气")')
  await page.waitForSelector('.row.account .bubble:has-text("今天北京晴，15°C")')
  t.match(await page.textContent('.system:has-text("点击了菜单")'), /小明 点击了菜单（key WEATHER）/)

  await page.click('.menubar-button:has-text("更多")')
  t.same(await page.locator('#submenu .submenu-button').allTextContents(), ['健康检查', '赞一下'], 'the sub-menu pops up')
  await keepScreenshot(page, 'sandbox-menu.png')
  const opened = page.context().waitForEvent('page')
  await page.click('.submenu-button:has-text("健康检查")')
  const tab = await opened
  await tab.waitForLoadState()
  t.equal(tab.url(), `${wemp.base}/healthz`, 'a view button opens its page')
  await tab.close()
  await page.waitForSelector(`.system:has-text("点击了菜单链接 ${wemp.base}/healthz")`)
  t.ok(await page.isHidden('#submenu'), 'and the sub-menu closes')
  await page.click('.menubar-button:has-text("更多")')
  await page.click('.submenu-button:has-text("赞一下")')
  await page.waitForSelector('.row.account .bubble:has-text("菜单：LIKE")')

  await page.click('#menu-to-keyboard')
  t.ok(await page.isVisible('#composer'))
  t.ok(await page.isHidden('#menubar'))
  await page.click('#keyboard-to-menu')
  t.ok(await page.isVisible('#menubar'))

  // A new push replaces the menu on the phone; deleting it gives the keyboard back.
  writeFileSync(join(dir, 'menu.json'), JSON.stringify({ button: [{ type: 'click', name: '新菜单', key: 'NEW' }] }))
  await cli('menu', 'push', 'menu.json')
  await page.waitForSelector('.menubar-button:has-text("新菜单")')
  await cli('menu', 'delete')
  await page.waitForSelector('#menubar', { state: 'hidden' })
  t.ok(await page.isVisible('#composer'))
})

test('a QR code made with the CLI, scanned in the console: subscribe with the scene for a new fan, SCAN after', async (t) => {
  const { sandbox, cli } = await setUp(t, undefined)
  t.equal((await cli('qrcode', 'create', '--scene', 'spring-2024')).code, 0)
  const browser = await launchChromium(t)
  const page = await newPage(browser)
  await page.goto(sandbox.url)
  await page.waitForSelector('body[data-ready="true"]')
  t.match(await page.textContent('#qr-select option'), /^场景 spring-2024 · 至 \d+\/\d+$/)

  await page.fill('#new-fan-name', '新朋友')
  await page.click('#new-fan button')
  await page.waitForSelector('#follow-state:has-text("新朋友 未关注 wemp 测试号")')
  await page.click('#qr-scan')
  await page.waitForSelector('.system:has-text("新朋友 扫描二维码（场景 spring-2024）关注了公众号")')
  await page.waitForSelector('.row.account .bubble:has-text("（来自二维码场景：spring-2024）")')
  await page.waitForSelector('#follow-state:has-text("新朋友 已关注 wemp 测试号")')
  t.equal(await page.textContent('#qr-state'), '扫码关注：qrscene_spring-2024')

  await page.click('#qr-scan')
  await page.waitForSelector('.row.account .bubble:has-text("扫码场景：spring-2024")')
  t.equal(await page.textContent('#qr-state'), '已关注，扫码推送 SCAN：spring-2024')

  const openid = sandbox.session.currentOpenid
  const fan = await cli('fans', 'get', openid)
  t.match(fan.out, /came from     ADD_SCENE_QR_CODE \(scene_str spring-2024\)/, 'user/info says where the fan came from')
})

test('template messages, customer-service messages and uploaded media appear in the chat as cards', async (t) => {
  let posterId = ''
  const { sandbox, dir, cli } = await setUp(t, { text: (m) => m.Content === '海报' ? reply.image(posterId) : m.Content === '旧图' ? reply.image('NoSuchMediaId') : reply.text(m.Content) })
  writeFileSync(join(dir, 'poster.png'), qrCodePng('poster'))
  const browser = await launchChromium(t)
  const page = await newPage(browser)
  await page.goto(sandbox.url)
  await page.waitForSelector('body[data-ready="true"]')

  t.equal((await cli('template', 'send', '--to', XIAOMING, '--template', DEFAULT_TEMPLATE_ID, '--url', 'https://example.com/order/1',
    'character_string1=20240501123', 'thing2=保温杯', 'time3=2024年5月1日 10:00')).code, 0)
  await page.waitForSelector('.card.notice')
  t.same(await page.locator('.card.notice .notice-line').allTextContents(), ['订单编号：20240501123', '商品名称：保温杯', '发货时间：2024年5月1日 10:00'])
  t.equal(await page.textContent('.card.notice .title'), '订单发货通知')

  const uploaded = await cli('--json', 'media', 'upload', 'poster.png', '--type', 'image')
  posterId = (JSON.parse(uploaded.out) as { mediaId: string }).mediaId
  t.equal((await cli('custom', 'send', XIAOMING, '--image', posterId)).code, 0)
  const image = page.locator('.kf-card .media-image')
  await image.waitFor()
  await page.waitForFunction(() => ((document.querySelector('.kf-card .media-image') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0)
  t.match(await page.textContent('.kf-card.media-card .media-label'), /^图片 poster\.png/)
  await keepScreenshot(page, 'sandbox-cards.png')

  // Every other kind, as a server sends them through the API.
  const token = await (await fetch(`${sandbox.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: SHARED.appId, secret: SHARED.appSecret }) })).json() as { access_token: string }
  const send = async (body: Record<string, unknown>) => await fetch(`${sandbox.url}/cgi-bin/message/custom/send?access_token=${token.access_token}`, { method: 'POST', body: JSON.stringify({ touser: XIAOMING, ...body }) })
  await send({ msgtype: 'news', news: { articles: [{ title: '春季上新', description: '全场八折', url: 'https://example.com/s' }] } })
  await send({ msgtype: 'msgmenu', msgmenu: { head_content: '您对本次服务是否满意？', list: [{ id: '101', content: '满意' }, { id: '102', content: '不满意' }], tail_content: '欢迎再次光临' } })
  await send({ msgtype: 'music', music: { title: '晴天', description: '周杰伦', musicurl: 'https://example.com/m.mp3', hqmusicurl: 'https://example.com/m.mp3', thumb_media_id: posterId } })
  await send({ msgtype: 'wxcard', wxcard: { card_id: 'pXch-card' } })
  await send({ msgtype: 'miniprogrampage', miniprogrampage: { title: '下单', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/order', thumb_media_id: posterId } })
  await send({ msgtype: 'mpnewsarticle', mpnewsarticle: { article_id: 'ART_1' } })
  await page.waitForSelector('.kf-card:has-text("pages/order")')
  t.equal(await page.textContent('.kf-news .title'), '春季上新')
  t.match(await page.textContent('.kf-card:has-text("晴天")'), /🎵 晴天周杰伦/)
  t.match(await page.textContent('.kf-card:has-text("卡券")'), /card_id pXch-card/)
  t.match(await page.textContent('.kf-card:has-text("已发布的文章")'), /article_id ART_1/)

  await page.click('.msgmenu-item:has-text("不满意")')
  await page.waitForSelector('.row.fan .bubble:has-text("不满意")')
  t.pass('a menu message\'s item comes back as the fan\'s text')

  await page.fill('#message', '海报')
  await page.click('#send')
  await page.waitForFunction(() => [...document.querySelectorAll('.row.account .media-image')].length === 2)
  t.pass('a passive image reply with the uploaded media_id shows the image')
  await page.fill('#message', '旧图')
  await page.click('#send')
  await page.waitForSelector('.media-card.missing:has-text("图片 NoSuchMediaId（平台上没有这个素材）")')

  // A media_id button sends the material itself; a scan button's event is not played.
  const material = JSON.parse((await cli('--json', 'media', 'upload', 'poster.png', '--type', 'image', '--permanent')).out) as { mediaId: string }
  writeFileSync(join(dir, 'menu.json'), JSON.stringify({ button: [{ type: 'media_id', name: '海报', media_id: material.mediaId }, { type: 'scancode_push', name: '扫一扫', key: 'SCAN1' }] }))
  t.equal((await cli('menu', 'push', 'menu.json')).code, 0)
  await page.click('.menubar-button:has-text("海报")')
  await page.waitForFunction(() => [...document.querySelectorAll('.row.account .media-image')].length === 3)
  t.match(await page.locator('.row.account .media-label').last().textContent(), /^图片 poster\.png（永久素材）$/)
  await page.click('.menubar-button:has-text("扫一扫")')
  await page.waitForSelector('.system:has-text("点击了「扫一扫」（扫码推事件）：沙箱不推送这类按钮的事件")')
})
