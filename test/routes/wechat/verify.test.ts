import { test } from 'tap'
import { build } from '../../helpers/build.js'
import { platformSignature, signedUrl } from '../../helpers/wechat-request.js'

const TOKEN = 'testtoken123'
const ECHO = '8150125537'

const nowSeconds = () => String(Math.floor(Date.now() / 1000))

/** /wechat with exactly these raw query parameters (repeats allowed). */
function rawUrl (params: Array<[string, string]>): string {
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  return query === '' ? '/wechat' : `/wechat?${query}`
}

function signedParams (overrides: Partial<Record<'signature' | 'timestamp' | 'nonce', string>> = {}): Record<'signature' | 'timestamp' | 'nonce', string> {
  const timestamp = overrides.timestamp ?? nowSeconds()
  const nonce = overrides.nonce ?? 'n1514711492'
  return { signature: overrides.signature ?? platformSignature(TOKEN, timestamp, nonce), timestamp, nonce }
}

test('A1: a signed server check echoes echostr exactly, as text/plain', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, extra: { echostr: ECHO } }) })
  t.equal(res.statusCode, 200)
  t.equal(res.body, ECHO, 'exactly echostr, nothing else')
  t.match(res.headers['content-type'], /^text\/plain/)
  t.equal(res.headers['x-content-type-options'], 'nosniff')
})

test('A1: echostr is echoed byte for byte, whatever it holds', async (t) => {
  const app = await build(t)
  for (const echo of ['4375120948345356249', '0', 'abc DEF', '你好', '<b>x</b>', 'x'.repeat(256)]) {
    const res = await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, extra: { echostr: echo } }) })
    t.equal(res.statusCode, 200, JSON.stringify(echo.slice(0, 20)))
    t.equal(res.body, echo)
    t.match(res.headers['content-type'], /^text\/plain/, 'never HTML')
  }
})

test('A1: the official worked example verifies (token AAAAA)', async (t) => {
  const app = await build(t, { config: { wechatToken: 'AAAAA', signatureMaxAgeSeconds: 0 } })
  const res = await app.inject({
    method: 'GET',
    url: '/wechat?signature=f464b24fc39322e44b38aa78f5edd27bd1441696&timestamp=1714036504&nonce=1514711492&echostr=4375120948345356249'
  })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '4375120948345356249')
})

test('A2: a wrong signature is 403 and never reflects echostr', async (t) => {
  const app = await build(t)
  const good = signedParams()
  const last = good.signature.at(-1) === '0' ? '1' : '0'
  const flipped = good.signature.slice(0, 39) + last
  const echo = '<script>alert(1)</script>'
  const res = await app.inject({ method: 'GET', url: rawUrl([['signature', flipped], ['timestamp', good.timestamp], ['nonce', good.nonce], ['echostr', echo]]) })
  t.equal(res.statusCode, 403)
  t.notMatch(res.body, 'script')
  t.notMatch(res.body, 'alert')
  t.match(res.headers['content-type'], /^text\/plain/)
  const wrongToken = await app.inject({ method: 'GET', url: signedUrl({ token: 'othertoken', extra: { echostr: ECHO } }) })
  t.equal(wrongToken.statusCode, 403, 'signed with another token')
  t.notMatch(wrongToken.body, ECHO)
})

test('A3/A4/A5/A6: missing, malformed and repeated parameters are 400, never 500, never echoed', async (t) => {
  const app = await build(t)
  const g = signedParams()
  const upper = g.signature.toUpperCase()
  const cases: Record<string, Array<[string, string]>> = {
    'signature missing': [['timestamp', g.timestamp], ['nonce', g.nonce]],
    'timestamp missing': [['signature', g.signature], ['nonce', g.nonce]],
    'nonce missing': [['signature', g.signature], ['timestamp', g.timestamp]],
    'all missing': [],
    'signature empty': [['signature', ''], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'signature 39 hex': [['signature', g.signature.slice(0, 39)], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'signature 41 hex': [['signature', `${g.signature}0`], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'signature 64 hex': [['signature', `${g.signature}${'0'.repeat(24)}`], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'signature 40 non-hex': [['signature', 'z'.repeat(40)], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'signature uppercase (policy)': [['signature', upper], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'signature twice (both valid)': [['signature', g.signature], ['signature', g.signature], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'signature a and b': [['signature', 'a'], ['signature', 'b'], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'timestamp twice': [['signature', g.signature], ['timestamp', g.timestamp], ['timestamp', g.timestamp], ['nonce', g.nonce]],
    'nonce twice': [['signature', g.signature], ['timestamp', g.timestamp], ['nonce', g.nonce], ['nonce', g.nonce]],
    'nonce[]': [['signature', g.signature], ['timestamp', g.timestamp], ['nonce[]', g.nonce]],
    'nonce with markup': [['signature', platformSignature(TOKEN, g.timestamp, 'x]]><a>')], ['timestamp', g.timestamp], ['nonce', 'x]]><a>']],
    'nonce too long': [['signature', platformSignature(TOKEN, g.timestamp, 'n'.repeat(33))], ['timestamp', g.timestamp], ['nonce', 'n'.repeat(33)]]
  }
  for (const [label, params] of Object.entries(cases)) {
    const res = await app.inject({ method: 'GET', url: rawUrl([...params, ['echostr', 'ECHO-MARKER']]) })
    t.equal(res.statusCode, 400, label)
    t.notMatch(res.body, 'ECHO-MARKER', `${label}: echostr not reflected`)
    t.notMatch(res.body, /\bat .*:\d+/, `${label}: no stack`)
  }
})

test('B13: timestamps outside ±300 s are 403; malformed timestamps are 400', async (t) => {
  const app = await build(t)
  // Start early in a second so that "now" does not tick between signing and checking.
  while (Date.now() % 1000 > 500) await new Promise((resolve) => setTimeout(resolve, 20))
  const now = Math.floor(Date.now() / 1000)
  for (const offset of [-301, 301, -100_000]) {
    const res = await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, timestamp: String(now + offset), extra: { echostr: ECHO } }) })
    t.equal(res.statusCode, 403, `offset ${offset}`)
    t.notMatch(res.body, ECHO)
  }
  for (const offset of [-299, 299, 0]) {
    const res = await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, timestamp: String(now + offset), extra: { echostr: ECHO } }) })
    t.equal(res.statusCode, 200, `offset ${offset} is inside the window`)
  }
  for (const timestamp of ['abc', '', '-1', '1e9', '1'.repeat(25), `${now}.5`, ` ${now}`, '0x10']) {
    const nonce = 'n42'
    const url = rawUrl([['signature', platformSignature(TOKEN, timestamp, nonce)], ['timestamp', timestamp], ['nonce', nonce], ['echostr', ECHO]])
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, `timestamp ${JSON.stringify(timestamp.slice(0, 30))}`)
  }
})

test('B13: signatureMaxAgeSeconds 0 disables the window', async (t) => {
  const app = await build(t, { config: { signatureMaxAgeSeconds: 0 } })
  for (const timestamp of ['1000000000', '1', String(Math.floor(Date.now() / 1000) + 86_400)]) {
    const res = await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, timestamp, extra: { echostr: ECHO } }) })
    t.equal(res.statusCode, 200, timestamp)
    t.equal(res.body, ECHO)
  }
})

test('echostr missing, empty, too long or repeated with a valid signature is 400', async (t) => {
  const app = await build(t)
  const g = signedParams()
  const base: Array<[string, string]> = [['signature', g.signature], ['timestamp', g.timestamp], ['nonce', g.nonce]]
  const cases: Record<string, Array<[string, string]>> = {
    missing: base,
    empty: [...base, ['echostr', '']],
    'too long': [...base, ['echostr', 'e'.repeat(257)]],
    repeated: [...base, ['echostr', 'AAA111'], ['echostr', 'BBB222']]
  }
  for (const [label, params] of Object.entries(cases)) {
    const res = await app.inject({ method: 'GET', url: rawUrl(params) })
    t.equal(res.statusCode, 400, label)
    t.notMatch(res.body, /e{257}|AAA111|BBB222/, `${label}: nothing echoed`)
    t.notMatch(res.body, /\bat .*:\d+/, `${label}: no stack`)
  }
})

test('the signature is checked on every method to /wechat, and on HEAD', async (t) => {
  const app = await build(t)
  const head = await app.inject({ method: 'HEAD', url: '/wechat?echostr=1' })
  t.equal(head.statusCode, 400, 'HEAD without a signature')
  const signedHead = await app.inject({ method: 'HEAD', url: signedUrl({ token: TOKEN, extra: { echostr: ECHO } }) })
  t.equal(signedHead.statusCode, 200, 'signed HEAD')
  t.equal(signedHead.body, '')
})

test('/wechat/ with a trailing slash is the same route', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, extra: { echostr: ECHO } }).replace('/wechat?', '/wechat/?') })
  t.equal(res.statusCode, 200)
  t.equal(res.body, ECHO)
})
