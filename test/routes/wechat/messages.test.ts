import { Readable } from 'node:stream'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { test, type Test } from 'tap'
import { parseWeChatXml, type XmlFields } from '../../../src/protocol/xml-codec.js'
import { PUSHES, textPush } from '../../fixtures/pushes.js'
import { build } from '../../helpers/build.js'
import { platformSignature, signedUrl } from '../../helpers/wechat-request.js'

const TOKEN = 'testtoken123'
const FAN = 'oFan00000000000000000000001'
const ACCOUNT = 'gh_0123456789ab'
const LIMIT = 64 * 1024

// `handlers: {}` selects the echo bot (src/app.ts), whose answers these tests check; the product's
// default bot (weather and other skills) is tested elsewhere.

async function post (app: FastifyInstance, body: string | Buffer, options: { url?: string, contentType?: string | null, extra?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {}
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'text/xml'
  return await app.inject({ method: 'POST', url: options.url ?? signedUrl({ token: TOKEN, extra: options.extra ?? {} }), headers, payload: body })
}

function replyFields (t: Test, res: LightMyRequestResponse): XmlFields {
  const parsed = parseWeChatXml(res.body)
  if (!parsed.ok) {
    t.fail(`not a reply document: ${res.body.slice(0, 80)}`)
    return {}
  }
  return parsed.fields
}

function noStack (t: Test, res: LightMyRequestResponse, label: string): void {
  t.notMatch(res.body, /\n\s+at |\.ts:\d+|node_modules|Error:/, `${label}: no stack trace in the response`)
}

test('every fixture gets 200 and the echo bot\'s answer', async (t) => {
  const expected: Record<keyof typeof PUSHES, 'success' | Record<string, unknown>> = {
    text: { MsgType: 'text', Content: 'this is a test' },
    image: { MsgType: 'image', Image: { MediaId: 'media_id' } },
    voice: { MsgType: 'voice', Voice: { MediaId: 'media_id' } },
    video: { MsgType: 'video', Video: { MediaId: 'media_id' } },
    shortvideo: { MsgType: 'video', Video: { MediaId: 'media_id' } },
    location: { MsgType: 'text', Content: /位置信息[\s\S]*23\.134521[\s\S]*113\.358803/ },
    link: { MsgType: 'text', Content: /公众平台官网链接[\s\S]*https:\/\/mp\.weixin\.qq\.com/ },
    subscribe: { MsgType: 'text', Content: '欢迎关注测试号' },
    subscribeQr: { MsgType: 'text', Content: /^欢迎关注测试号[\s\S]*123123/ },
    unsubscribe: 'success',
    SCAN: { MsgType: 'text', Content: /SCENE_VALUE/ },
    LOCATION: 'success',
    CLICK: { MsgType: 'text', Content: /EVENTKEY/ },
    VIEW: 'success',
    scancode_push: 'success',
    scancode_waitmsg: 'success',
    pic_sysphoto: 'success',
    pic_photo_or_album: 'success',
    pic_weixin: 'success',
    location_select: 'success',
    TEMPLATESENDJOBFINISH: 'success',
    MASSSENDJOBFINISH: 'success',
    unknownType: 'success',
    unknownEvent: 'success'
  }
  for (const [name, xml] of Object.entries(PUSHES)) {
    const app = await build(t, { handlers: {} })
    const res = await post(app, xml)
    t.equal(res.statusCode, 200, `${name}: 200`)
    const want = expected[name as keyof typeof PUSHES]
    if (want === 'success') {
      t.equal(res.body, 'success', `${name}: success`)
      t.match(res.headers['content-type'], /^text\/plain/)
    } else {
      const fields = replyFields(t, res)
      t.match(fields, { ToUserName: FAN, FromUserName: ACCOUNT, ...want }, `${name}: reply`)
      t.match(fields.CreateTime, /^\d{10}$/)
      t.match(res.headers['content-type'], /^application\/xml/)
    }
  }
})

test('text content is echoed byte for byte, ]]> included', async (t) => {
  const app = await build(t, { handlers: {} })
  let id = 1000
  for (const content of ['你好 😀👍🏽', '  spaced  ', '0x1A', '007', '1e5', ' 12 ', '<!DOCTYPE x [<!ENTITY a "b">]>&a; ]]&gt;']) {
    const res = await post(app, textPush({ content, msgId: String(++id) }))
    t.equal(res.statusCode, 200, JSON.stringify(content))
    t.equal(replyFields(t, res).Content, content, JSON.stringify(content))
  }
  const split = textPush({ msgId: String(++id) }).replace('<![CDATA[hello]]>', '<![CDATA[x]]]]><![CDATA[>y]]>')
  const res = await post(app, split)
  t.equal(replyFields(t, res).Content, 'x]]>y', 'split CDATA in, split CDATA out, same string')
  t.match(res.body, 'x]]]]><![CDATA[>y')
})

test('A1-6 on POST: missing, malformed, repeated → 400; wrong → 403; handler never runs', async (t) => {
  let calls = 0
  const app = await build(t, { handlers: { text: () => { calls++; return undefined } } })
  const ts = String(Math.floor(Date.now() / 1000))
  const sig = platformSignature(TOKEN, ts, 'n1')
  const flipped = sig.slice(0, 39) + (sig.at(-1) === '0' ? '1' : '0')
  const cases: Array<[string, string, number]> = [
    ['no query', '/wechat', 400],
    ['signature missing', `/wechat?timestamp=${ts}&nonce=n1`, 400],
    ['timestamp missing', `/wechat?signature=${sig}&nonce=n1`, 400],
    ['nonce missing', `/wechat?signature=${sig}&timestamp=${ts}`, 400],
    ['signature empty', `/wechat?signature=&timestamp=${ts}&nonce=n1`, 400],
    ['signature 39', `/wechat?signature=${sig.slice(0, 39)}&timestamp=${ts}&nonce=n1`, 400],
    ['signature 41', `/wechat?signature=${sig}0&timestamp=${ts}&nonce=n1`, 400],
    ['signature 64', `/wechat?signature=${sig}${'a'.repeat(24)}&timestamp=${ts}&nonce=n1`, 400],
    ['signature zzz', `/wechat?signature=${'z'.repeat(40)}&timestamp=${ts}&nonce=n1`, 400],
    ['signature uppercase', `/wechat?signature=${sig.toUpperCase()}&timestamp=${ts}&nonce=n1`, 400],
    ['signature twice', `/wechat?signature=${sig}&signature=${sig}&timestamp=${ts}&nonce=n1`, 400],
    ['timestamp twice', `/wechat?signature=${sig}&timestamp=${ts}&timestamp=${ts}&nonce=n1`, 400],
    ['nonce[]', `/wechat?signature=${sig}&timestamp=${ts}&nonce[]=n1`, 400],
    ['flipped', `/wechat?signature=${flipped}&timestamp=${ts}&nonce=n1`, 403],
    ['another nonce', `/wechat?signature=${sig}&timestamp=${ts}&nonce=n2`, 403]
  ]
  for (const [label, url, status] of cases) {
    const res = await post(app, textPush(), { url })
    t.equal(res.statusCode, status, label)
    noStack(t, res, label)
  }
  t.equal(calls, 0, 'the handler never ran')
})

test('B13 on POST: stale or future timestamps are 403, malformed 400', async (t) => {
  const app = await build(t, { handlers: {} })
  while (Date.now() % 1000 > 500) await new Promise((resolve) => setTimeout(resolve, 20))
  const now = Math.floor(Date.now() / 1000)
  for (const offset of [-301, 301]) {
    t.equal((await post(app, textPush(), { url: signedUrl({ token: TOKEN, timestamp: String(now + offset) }) })).statusCode, 403, `offset ${offset}`)
  }
  for (const timestamp of ['abc', '', '-1', '1e9', '9'.repeat(25), `${now}.5`]) {
    const url = `/wechat?${new URLSearchParams({ signature: platformSignature(TOKEN, timestamp, 'n1'), timestamp, nonce: 'n1' }).toString()}`
    t.equal((await post(app, textPush(), { url })).statusCode, 400, JSON.stringify(timestamp))
  }
  const open = await build(t, { handlers: {}, config: { signatureMaxAgeSeconds: 0 } })
  const res = await post(open, textPush(), { url: signedUrl({ token: TOKEN, timestamp: '1000000000' }) })
  t.equal(res.statusCode, 200, 'window disabled')
  t.equal(replyFields(t, res).Content, 'hello')
})

test('A9: in plain mode the body is read as configured, never as the request asks', async (t) => {
  const app = await build(t, { handlers: {} })
  const aes = await post(app, textPush({ msgId: '31' }), { extra: { encrypt_type: 'aes', msg_signature: 'a'.repeat(40) } })
  t.equal(aes.statusCode, 400, 'encrypt_type=aes refused in plain mode')
  const bogus = await post(app, textPush({ msgId: '32' }), { extra: { encrypt_type: 'rot13' } })
  t.equal(bogus.statusCode, 400, 'an unknown encrypt_type')
  const raw = await post(app, textPush({ msgId: '33' }), { extra: { encrypt_type: 'raw' } })
  t.equal(raw.statusCode, 200, 'encrypt_type=raw is plaintext')
  t.equal(replyFields(t, raw).Content, 'hello')
})

test('A11: the openid query must match FromUserName', async (t) => {
  const app = await build(t, { handlers: {} })
  const ok = await post(app, textPush({ msgId: '1' }), { extra: { openid: FAN } })
  t.equal(ok.statusCode, 200, 'matching openid')
  const bad = await post(app, textPush({ msgId: '2' }), { extra: { openid: 'oSomebodyElse' } })
  t.equal(bad.statusCode, 400, 'another openid')
  const empty = await post(app, textPush({ msgId: '3' }), { extra: { openid: '' } })
  t.equal(empty.statusCode, 400, 'an empty openid')
  const twice = await post(app, textPush({ msgId: '4' }), { url: `${signedUrl({ token: TOKEN })}&openid=${FAN}&openid=${FAN}` })
  t.equal(twice.statusCode, 400, 'openid repeated')
  noStack(t, bad, 'openid mismatch')
})

test('A11: with an account id, pushes to another account are 400', async (t) => {
  const app = await build(t, { handlers: {}, config: { accountId: ACCOUNT } })
  t.equal((await post(app, textPush({ msgId: '1' }))).statusCode, 200, 'our account')
  t.equal((await post(app, textPush({ msgId: '2', to: 'gh_another00001' }))).statusCode, 400, 'another account')
  t.equal((await post(app, PUSHES.subscribe.replace(ACCOUNT, 'gh_another00001'))).statusCode, 400, 'an event to another account')
  const open = await build(t, { handlers: {} })
  t.equal((await post(open, textPush({ to: 'gh_another00001' }))).statusCode, 200, 'without an account id any ToUserName is accepted')
})

test('A12/C44: only XML content types are accepted', async (t) => {
  const app = await build(t, { handlers: {} })
  let id = 0
  for (const contentType of ['text/xml', 'application/xml', 'TEXT/XML; charset=UTF-8', 'text/xml;charset=utf-8', 'Application/XML']) {
    const res = await post(app, textPush({ msgId: String(++id) }), { contentType })
    t.equal(res.statusCode, 200, contentType)
  }
  const refused: Array<[string | null, string]> = [
    [null, textPush()],
    ['application/json', JSON.stringify({ xml: { ToUserName: ACCOUNT, FromUserName: FAN, CreateTime: '1', MsgType: 'text', Content: 'x', MsgId: '1' } })],
    ['application/x-www-form-urlencoded', 'ToUserName=gh&FromUserName=o'],
    ['text/plain', textPush()],
    ['multipart/form-data; boundary=x', '--x--'],
    ['text/xml\tfoo', textPush()],
    ['text/xml garbage', textPush()],
    ['text/xmlx', textPush()],
    ['application/xml+json', textPush()],
    ['text/html', textPush()]
  ]
  for (const [contentType, body] of refused) {
    const res = await post(app, body, { contentType, url: signedUrl({ token: TOKEN }) })
    t.equal(res.statusCode, 415, `${JSON.stringify(contentType)} → 415`)
    noStack(t, res, String(contentType))
  }
})

test('C44: leading whitespace in Content-Type is HTTP whitespace, not part of the type', async (t) => {
  // RFC 9110 §5.5: optional whitespace around a field value is not part of it, and Node's HTTP
  // parser strips it on the wire; so " text/xml" is text/xml (no parser mismatch is possible here,
  // since only the XML parser exists on /wechat).
  const app = await build(t, { handlers: {} })
  const res = await post(app, textPush(), { contentType: ' text/xml' })
  t.equal(res.statusCode, 200)
  t.equal(replyFields(t, res).Content, 'hello')
})

test('C21-43 at the route: malformed or hostile bodies are 400, never 500', async (t) => {
  const app = await build(t, { handlers: {} })
  const head = `<ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${FAN}]]></FromUserName><CreateTime>1348831860</CreateTime>`
  const lol = '<!DOCTYPE lolz [<!ENTITY lol "lol">' +
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') + ']>'
  const withoutField = (name: string) => textPush().replace(new RegExp(`<${name}>.*?</${name}>`), '')
  const bodies: Record<string, string> = {
    empty: '',
    spaces: '   ',
    'hello world': 'hello world',
    json: '{"a":1}',
    'truncated CDATA': `<xml><ToUserName><![CDATA[gh`,
    'unclosed B': '<xml><A>1</A><B>',
    mismatched: '<xml><A>1</B></xml>',
    'stray close': '</a><xml><A>1</A></xml>',
    'two roots': `${textPush()}${textPush()}`,
    'root <root>': textPush().replace(/^<xml>/, '<root>').replace(/<\/xml>$/, '</root>'),
    'duplicate MsgType': textPush().replace('</xml>', '<MsgType><![CDATA[event]]></MsgType></xml>'),
    'duplicate FromUserName': textPush().replace('</xml>', '<FromUserName><![CDATA[oOther]]></FromUserName></xml>'),
    'deep (9,000 levels, under the body limit)': `<xml>${'<a>'.repeat(9_000)}${'</a>'.repeat(9_000)}</xml>`,
    doctype: `<!DOCTYPE x [<!ENTITY a "AAAA">]><xml>${head}<MsgType>text</MsgType><Content>&a;</Content><MsgId>1</MsgId></xml>`,
    'billion laughs': `${lol}<xml>${head}<MsgType>text</MsgType><Content>&lol9;</Content><MsgId>1</MsgId></xml>`,
    xxe: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>',
    'parameter entity': '<!DOCTYPE x [<!ENTITY % pe SYSTEM "http://169.254.169.254/"> %pe;]><xml/>',
    __proto__: `<xml>${head}<MsgType>text</MsgType><__proto__><p>1</p></__proto__></xml>`,
    constructor: `<xml>${head}<MsgType>text</MsgType><constructor><p>1</p></constructor></xml>`,
    prototype: `<xml>${head}<MsgType>text</MsgType><prototype><p>1</p></prototype></xml>`,
    'no FromUserName': withoutField('FromUserName'),
    'no ToUserName': withoutField('ToUserName'),
    'no MsgType': withoutField('MsgType'),
    'no CreateTime': withoutField('CreateTime'),
    'CreateTime abc': textPush({ createTime: 'abc' }),
    'Content 9000': textPush({ content: 'x'.repeat(9000) }),
    'MsgId not digits': textPush({ msgId: '12a' }),
    'mixed text': textPush().replace('<xml>', '<xml>stray text')
  }
  for (const [label, body] of Object.entries(bodies)) {
    const res = await post(app, body)
    t.equal(res.statusCode, 400, label)
    noStack(t, res, label)
  }
  t.equal(({} as Record<string, unknown>).p, undefined, 'no prototype pollution')
})

test('C35/C38/C41/C43: tolerated oddities are processed', async (t) => {
  const app = await build(t, { handlers: {} })
  const hop = await post(app, textPush({ msgId: '11' }).replace('</xml>', '<hasOwnProperty>1</hasOwnProperty></xml>'))
  t.equal(hop.statusCode, 200, 'hasOwnProperty is an ignored unknown field')
  const attrs = await post(app, textPush({ msgId: '12' }).replace('<xml>', '<xml a="1" __proto__="x"><?php x?><!-- c -->'))
  t.equal(attrs.statusCode, 200, 'attributes, PIs and comments ignored')
  t.equal(replyFields(t, attrs).Content, 'hello')
  const bom = await post(app, `\uFEFF${textPush({ msgId: '13' })}`)
  t.equal(bom.statusCode, 200, 'a BOM before the root')
  const decl = await post(app, `<?xml version="1.0" encoding="UTF-8"?>\n${textPush({ msgId: '14' })}`)
  t.equal(decl.statusCode, 200, 'an XML declaration')
  const unknown = await post(app, textPush({ msgId: '15' }).replace('[CDATA[text]]', '[CDATA[foo]]'))
  t.equal(unknown.statusCode, 200, 'unknown MsgType')
  t.equal(unknown.body, 'success')
})

test('C41: BOM + XML declaration is processed', async (t) => {
  const app = await build(t, { handlers: {} })
  const res = await post(app, `\uFEFF<?xml version="1.0" encoding="UTF-8"?>${textPush()}`)
  t.equal(res.statusCode, 200)
})

test('C42: invalid UTF-8 bytes in Content do not crash', async (t) => {
  const app = await build(t, { handlers: {} })
  const [before, after] = textPush({ content: 'SPLIT' }).split('SPLIT') as [string, string]
  const body = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(after)])
  const res = await post(app, body)
  t.ok(res.statusCode === 200 || res.statusCode === 400, `answered ${res.statusCode}`)
  if (res.statusCode === 200) t.match(String(replyFields(t, res).Content), '\uFFFD', 'decoded with U+FFFD')
})

test('E55: a body over 64 KiB is 413; exactly 64 KiB is read', async (t) => {
  const app = await build(t, { handlers: {} })
  const base = textPush({ msgId: '21' })
  const pad = (size: number) => base.replace('</xml>', `${' '.repeat(size - Buffer.byteLength(base))}</xml>`)
  const exact = pad(LIMIT)
  t.equal(Buffer.byteLength(exact), LIMIT)
  const ok = await post(app, exact)
  t.equal(ok.statusCode, 200, '64 KiB accepted')
  const over = base.replace('</xml>', `${' '.repeat(LIMIT + 1 - Buffer.byteLength(base))}</xml>`)
  t.equal(Buffer.byteLength(over), LIMIT + 1)
  const res = await post(app, over)
  t.equal(res.statusCode, 413, '64 KiB + 1 refused')
  noStack(t, res, '413')
  const big = await post(app, 'x'.repeat(2 * 1024 * 1024))
  t.equal(big.statusCode, 413, 'a body above the server-wide limit too')
})

test('E56: a large body with a bad or missing signature is refused before it is read', async (t) => {
  const app = await build(t, { handlers: {} })
  const garbage = `<xml>${'<'.repeat(LIMIT * 4)}`
  const flipped = `/wechat?signature=${'0'.repeat(40)}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=n1`
  const bad = await post(app, garbage, { url: flipped })
  t.equal(bad.statusCode, 403, 'bad signature: 403, not 413 or 400')
  const missing = await post(app, garbage, { url: '/wechat' })
  t.equal(missing.statusCode, 400, 'missing signature: 400 from the signature check')
  t.equal(missing.body, 'signature missing or malformed')

  // An endless upload: the answer must come without the body ever ending.
  let chunks = 0
  const endless = new Readable({
    read () {
      chunks++
      if (chunks > 10_000) this.push(null) // 640 MB: a failsafe only
      else this.push(Buffer.alloc(64 * 1024, 0x3c))
    }
  })
  const res = await app.inject({ method: 'POST', url: flipped, headers: { 'content-type': 'text/xml' }, payload: endless })
  t.equal(res.statusCode, 403)
  t.ok(chunks < 10_000, `the upload was not read to its end (${chunks} chunks pulled)`)
  endless.destroy()
})

test('a handler that throws gives 503 without a stack or its message', async (t) => {
  const app = await build(t, { handlers: { text: () => { throw new Error('x') } } })
  const res = await post(app, textPush())
  t.equal(res.statusCode, 503)
  t.equal(res.body, 'handler failed')
  t.match(res.headers['content-type'], /^text\/plain/)
  noStack(t, res, '503')
})

test('a handler that always throws keeps answering 503', async (t) => {
  const app = await build(t, { handlers: { text: () => { throw new Error('x') } } })
  for (let i = 0; i < 3; i++) t.equal((await post(app, textPush())).statusCode, 503)
})

test('a handler returning an invalid reply answers success', async (t) => {
  const app = await build(t, { handlers: { text: () => ({ type: 'text', content: '' }) } })
  const res = await post(app, textPush())
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'success')
})

test('/healthz is 200', async (t) => {
  const app = await build(t, { handlers: {} })
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

test('an unknown route is 404 without a stack', async (t) => {
  const app = await build(t, { handlers: {} })
  for (const url of ['/nope', '/wechat/extra', '/WECHAT']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    noStack(t, res, url)
  }
  const put = await app.inject({ method: 'PUT', url: signedUrl({ token: TOKEN }), payload: 'x', headers: { 'content-type': 'text/xml' } })
  t.equal(put.statusCode, 404, 'PUT /wechat')
})

test('I88: a 404 does not echo the query string', async (t) => {
  const app = await build(t, { handlers: {} })
  const res = await app.inject({ method: 'GET', url: '/wx?signature=SECRETSIG&openid=oSecretOpenid' })
  t.equal(res.statusCode, 404)
  t.notMatch(res.body, 'SECRETSIG')
  t.notMatch(res.body, 'oSecretOpenid')
})

test('I88: no error response carries a stack trace or the query', async (t) => {
  const app = await build(t, { handlers: { text: () => { throw new Error('handler exploded at /secret/path.ts:12') } } })
  const marker = 'QUERYMARKER'
  const responses = [
    await post(app, textPush(), { url: `/wechat?signature=${marker}&timestamp=1&nonce=${marker}` }),
    await post(app, textPush(), { extra: { openid: marker } }),
    await post(app, '<xml>', { extra: { marker } }),
    await post(app, textPush(), { contentType: 'application/json', extra: { marker } }),
    await post(app, textPush()),
    await post(app, 'x'.repeat(LIMIT + 1), { extra: { marker } }),
    await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, extra: { marker } }) })
  ]
  for (const res of responses) {
    t.ok(res.statusCode >= 400, `status ${res.statusCode}`)
    noStack(t, res, String(res.statusCode))
    t.notMatch(res.body, marker, `${res.statusCode}: no query echo`)
    t.notMatch(res.body, 'exploded', `${res.statusCode}: no error message from the handler`)
  }
})
