import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { assetDir, SANDBOX_ASSETS } from '../../sandbox/asset-dir.js'
import { createSandbox, startSandbox } from '../../sandbox/sandbox-app.js'
import type { RunningSandbox } from '../../sandbox/sandbox-app.js'
import { ACCOUNT_ID, SHARED, startWemp } from './wemp-server.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const CHENJING = 'oSandboxFan00000000000000003'

async function sandbox (t: { teardown(fn: () => unknown): void }, serverUrl: string): Promise<RunningSandbox> {
  const running = await startSandbox({ ...SHARED, mode: 'safe', serverUrl, accountId: ACCOUNT_ID, accountName: '测试号 <b>' })
  t.teardown(() => running.close())
  return running
}

async function post (url: string, body: unknown): Promise<{ status: number, json: Record<string, any> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, json: await response.json() as Record<string, any> }
}

test('the console page, its files and the session', async (t) => {
  const running = await sandbox(t, 'http://127.0.0.1:9/wechat')
  const page = await fetch(`${running.url}/`)
  t.match(page.headers.get('content-type'), /text\/html/)
  const html = await page.text()
  t.match(html, /<span class="title" id="account-name">测试号 &lt;b&gt;<\/span>/, 'the account name, escaped, in the title bar')
  const script = await fetch(`${running.url}/sandbox/console.js`)
  t.match(script.headers.get('content-type'), /text\/javascript/)
  t.match(await script.text(), /api\/send/)
  t.match((await fetch(`${running.url}/sandbox/phone.css`)).headers.get('content-type'), /text\/css/)
  t.equal((await fetch(`${running.url}/sandbox/..%2Fmain.ts`)).status, 404)
  const session = await (await fetch(`${running.url}/api/session`)).json() as Record<string, any>
  t.match(session, { account: { name: '测试号 <b>', id: ACCOUNT_ID }, mode: 'safe', serverUrl: 'http://127.0.0.1:9/wechat', currentOpenid: XIAOMING, customMessageCount: 0 })
  t.same(session.fans.map((f: { nickname: string }) => f.nickname), ['小明', '王芳', '陈静🌸'])
  t.same(session.places.map((p: { label: string }) => p.label), ['北京天安门', '上海外滩', '广州塔', '深圳'])
})

test('a new fan gets a 28-character openid and holds the phone', async (t) => {
  const running = await sandbox(t, 'http://127.0.0.1:9/wechat')
  const created = await post(`${running.url}/api/fans`, { nickname: '新粉丝' })
  t.equal(created.status, 200)
  t.match(created.json.openid, /^oSandbox[A-Za-z0-9_-]{20}$/)
  t.equal(running.state.fans.get(created.json.openid)?.nickname, '新粉丝')
  t.equal(running.session.currentOpenid, created.json.openid)
  t.equal((await post(`${running.url}/api/fans`, { nickname: '' })).status, 400)
})

test('send: one exchange with the server; the fan re-enters the customer-service window', async (t) => {
  const wemp = await startWemp(t, { messageMode: 'safe' })
  const running = await sandbox(t, wemp.url)
  t.ok(running.state.fans.get(CHENJING)?.outsideWindow)
  const sent = await post(`${running.url}/api/send`, { openid: CHENJING, action: { kind: 'text', content: '你好' } })
  t.equal(sent.status, 200)
  t.match(sent.json, { mode: 'safe', msgType: 'text', result: { kind: 'reply', reply: { type: 'text', content: '你好' } }, signature: { ok: true } })
  t.notOk(running.state.fans.get(CHENJING)?.outsideWindow, 'a message opens the 48-hour window')
  t.equal(running.session.currentOpenid, CHENJING)

  running.state.setOutsideWindow(CHENJING, true)
  const view = await post(`${running.url}/api/send`, { openid: CHENJING, action: { kind: 'view', url: 'https://example.com' }, mode: 'safe' })
  t.match(view.json, { result: { kind: 'silent' } })
  t.ok(running.state.fans.get(CHENJING)?.outsideWindow, 'a VIEW click does not open the window')

  const mismatch = await post(`${running.url}/api/send`, { openid: XIAOMING, action: { kind: 'text', content: 'x' }, mode: 'plain' })
  t.match(mismatch.json, { mode: 'plain', result: { kind: 'unavailable', reason: /HTTP 403/ } }, 'a plain push to a safe-mode server is refused')
  t.equal((await post(`${running.url}/api/send`, { openid: 'oNobody', action: { kind: 'image' } })).status, 404)
  t.equal((await post(`${running.url}/api/send`, { openid: XIAOMING, action: { kind: 'dance' } })).status, 400)
})

test('customer-service messages sent through the platform API are listed for the console', async (t) => {
  const running = await sandbox(t, 'http://127.0.0.1:9/wechat')
  const token = await (await fetch(`${running.url}/cgi-bin/stable_token`, {
    method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: SHARED.appId, secret: SHARED.appSecret })
  })).json() as { access_token: string }
  const sent = await fetch(`${running.url}/cgi-bin/message/custom/send?access_token=${token.access_token}`, {
    method: 'POST', body: JSON.stringify({ touser: XIAOMING, msgtype: 'text', text: { content: '客服来了' } })
  })
  t.match(await sent.json(), { errcode: 0 })
  const all = await (await fetch(`${running.url}/api/custom-messages`)).json() as Record<string, any>
  t.match(all, { next: 1, messages: [{ touser: XIAOMING, msgtype: 'text', content: '客服来了' }] })
  t.same(await (await fetch(`${running.url}/api/custom-messages?after=1`)).json(), { next: 1, messages: [] })
  t.same(await (await fetch(`${running.url}/api/custom-messages?after=junk`)).json(), { next: 1, messages: all.messages })
})

test('the switch "account without customer-service rights": 48001 from message/custom/send, and back', async (t) => {
  const running = await sandbox(t, 'http://127.0.0.1:9/wechat')
  const customerService = async (): Promise<unknown> => ((await (await fetch(`${running.url}/api/session`)).json()) as Record<string, unknown>).customerService
  t.equal(await customerService(), true, 'on by default')
  const token = await (await fetch(`${running.url}/cgi-bin/stable_token`, {
    method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: SHARED.appId, secret: SHARED.appSecret })
  })).json() as { access_token: string }
  const send = async (): Promise<unknown> => ((await (await fetch(`${running.url}/cgi-bin/message/custom/send?access_token=${token.access_token}`, {
    method: 'POST', body: JSON.stringify({ touser: XIAOMING, msgtype: 'text', text: { content: '客服' } })
  })).json()) as { errcode: unknown }).errcode
  t.same(await post(`${running.url}/api/customer-service`, { allowed: false }), { status: 200, json: { customerService: false } })
  t.equal(await customerService(), false)
  t.equal(await send(), 48001)
  t.same(await post(`${running.url}/api/customer-service`, { allowed: true }), { status: 200, json: { customerService: true } })
  t.equal(await send(), 0)
  t.equal((await post(`${running.url}/api/customer-service`, { allowed: 'no' })).status, 400)
  t.equal(await customerService(), true, 'a refused request changes nothing')
})

test('the JS-SDK control: a fan’s phone place and the deny switch', async (t) => {
  const running = await sandbox(t, 'http://127.0.0.1:9/wechat')
  const read = async (query: string): Promise<{ status: number, json: Record<string, any> }> => {
    const response = await fetch(`${running.url}/api/jssdk-location${query}`)
    return { status: response.status, json: await response.json() as Record<string, any> }
  }
  t.same(await read(`?openid=${CHENJING}`), { status: 200, json: { openid: CHENJING, place: '北京天安门', denied: false } })
  const set = await post(`${running.url}/api/jssdk-location`, { openid: CHENJING, place: '上海外滩', denied: true })
  t.same(set, { status: 200, json: { openid: CHENJING, place: '上海外滩', denied: true } })
  t.same((await read(`?openid=${CHENJING}`)).json, { openid: CHENJING, place: '上海外滩', denied: true })
  t.equal(running.session.currentOpenid, CHENJING, 'the fan set holds the phone')
  t.same((await read(`?openid=${XIAOMING}`)).json, { openid: XIAOMING, place: '北京天安门', denied: false })

  t.equal((await read('?openid=oNobody')).status, 404)
  t.equal((await read('')).status, 404)
  t.equal((await post(`${running.url}/api/jssdk-location`, { openid: 'oNobody', place: '深圳', denied: false })).status, 404)
  t.equal((await post(`${running.url}/api/jssdk-location`, { openid: XIAOMING, place: '火星', denied: false })).status, 400, 'only the preset places')
  t.equal((await post(`${running.url}/api/jssdk-location`, { openid: XIAOMING, place: '深圳' })).status, 400)
  t.equal(running.session.currentOpenid, CHENJING, 'refused requests change nothing')
})

test('the page files are found from the sources and from dist/', async (t) => {
  const sources = dirname(fileURLToPath(import.meta.url)).replace(/test\/sandbox$/, 'sandbox')
  t.equal(SANDBOX_ASSETS, sources)
  t.equal(assetDir(resolve(sources, '..', 'dist', 'sandbox')), sources)
})

test('a sandbox needs a fan', async (t) => {
  t.throws(() => createSandbox({ ...SHARED, mode: 'plain', serverUrl: 'http://127.0.0.1:9/wechat', fans: [] }), /at least one fan/)
  const plain = createSandbox({ token: SHARED.token, appId: SHARED.appId, appSecret: SHARED.appSecret, mode: 'plain', serverUrl: 'http://127.0.0.1:9/wechat', fans: [{ openid: 'oOnly', nickname: 'only' }], logger: false })
  t.equal(plain.session.currentOpenid, 'oOnly')
  await plain.app.close()
})
