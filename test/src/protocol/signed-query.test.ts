import { test } from 'tap'
import { checkSignedQuery, NONCE } from '../../../src/protocol/signed-query.js'
import { platformSignature } from '../../helpers/wechat-request.js'

const TOKEN = 'testtoken123'
const NOW = 1714036504

function query (timestamp: string, nonce = 'n1514711492', token = TOKEN): { signature: string, timestamp: string, nonce: string } {
  return { signature: platformSignature(token, timestamp, nonce), timestamp, nonce }
}

const policy = { token: TOKEN, maxAgeSeconds: 300, nowSeconds: NOW }

test('a correctly signed fresh query passes, returning its three values', async (t) => {
  const q = query(String(NOW))
  t.same(checkSignedQuery({ ...q, echostr: 'x', openid: 'o' }, policy), { ok: true, query: { ...q, openid: 'o' } })
})

test('the official example verifies (token AAAAA)', async (t) => {
  const q = { signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696', timestamp: '1714036504', nonce: '1514711492' }
  t.same(checkSignedQuery(q, { token: 'AAAAA', maxAgeSeconds: 300, nowSeconds: 1714036504 }), { ok: true, query: q })
})

test('the window is ±maxAgeSeconds inclusive', async (t) => {
  for (const offset of [-300, -1, 0, 1, 300]) t.equal(checkSignedQuery(query(String(NOW + offset)), policy).ok, true, `offset ${offset}`)
  for (const offset of [-301, 301, -NOW + 1]) {
    t.same(checkSignedQuery(query(String(NOW + offset)), policy), { ok: false, refusal: 'forbidden', reason: 'timestamp outside the allowed window' }, `offset ${offset}`)
  }
  t.equal(checkSignedQuery(query('1'), { ...policy, maxAgeSeconds: 0 }).ok, true, '0 disables the window')
})

test('a well-formed but wrong signature is 403', async (t) => {
  t.same(checkSignedQuery(query(String(NOW), 'n1', 'othertoken'), policy), { ok: false, refusal: 'forbidden', reason: 'signature mismatch' })
  t.same(checkSignedQuery({ ...query(String(NOW)), nonce: 'n2' }, policy), { ok: false, refusal: 'forbidden', reason: 'signature mismatch' })
})

test('missing or malformed parameters are 400, naming the parameter, whatever the query is', async (t) => {
  const good = query(String(NOW))
  const cases: Array<[unknown, string]> = [
    [undefined, 'signature'], [null, 'signature'], ['signature=x', 'signature'], [42, 'signature'], [{}, 'signature'],
    [{ ...good, signature: [good.signature] }, 'signature'],
    [{ ...good, signature: good.signature.toUpperCase() }, 'signature'],
    [{ ...good, timestamp: undefined }, 'timestamp'],
    [{ ...good, timestamp: [String(NOW)] }, 'timestamp'],
    [{ ...good, timestamp: '1'.repeat(13) }, 'timestamp'],
    [{ ...good, timestamp: '-1' }, 'timestamp'],
    [{ ...good, nonce: undefined }, 'nonce'],
    [{ ...good, nonce: '' }, 'nonce'],
    [{ ...good, nonce: 'a-b' }, 'nonce'],
    [{ ...good, nonce: 'x'.repeat(33) }, 'nonce'],
    [{ ...good, nonce: { a: 1 } }, 'nonce']
  ]
  for (const [value, name] of cases) {
    const check = checkSignedQuery(value, policy)
    t.same(check, { ok: false, refusal: 'bad-request', reason: `${name} missing or malformed` }, JSON.stringify(value)?.slice(0, 60) ?? 'undefined')
  }
})

test('NONCE allows 1-32 ASCII letters and digits only', async (t) => {
  t.ok(NONCE.test('a'))
  t.ok(NONCE.test('A1'.repeat(16)))
  t.notOk(NONCE.test('A1'.repeat(16) + 'x'))
  t.notOk(NONCE.test('x]]><a>'))
  t.notOk(NONCE.test('ｎ1'), 'full-width letters')
})

test('the push parameters are typed once: openid, encrypt_type and msg_signature kept, malformed ones refused', async (t) => {
  const q = query(String(NOW))
  const extra = { openid: 'oFan1', encrypt_type: 'aes', msg_signature: 'a'.repeat(40) }
  t.same(checkSignedQuery({ ...q, ...extra, echostr: 'x' }, policy), { ok: true, query: { ...q, ...extra } })
  t.same(checkSignedQuery({ ...q, encrypt_type: 'des' }, policy), { ok: false, refusal: 'bad-request', reason: 'encrypt_type must be aes or raw' })
  t.same(checkSignedQuery({ ...q, encrypt_type: ['aes', 'aes'] }, policy), { ok: false, refusal: 'bad-request', reason: 'encrypt_type must be aes or raw' }, 'repeated')
  t.same(checkSignedQuery({ ...q, openid: '' }, policy), { ok: false, refusal: 'bad-request', reason: 'openid malformed' })
  t.same(checkSignedQuery({ ...q, msg_signature: ['a', 'b'] }, policy), { ok: false, refusal: 'bad-request', reason: 'msg_signature missing or malformed' })
})
