import { test } from 'tap'
import { newBrowserBinding, newState, savePendingLogin, STATE_PATTERN, STATE_TTL_MS, takePendingLogin } from '../../../src/oauth/login-state.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'

test('states: 32 base62 characters (≥128 bits), never repeating', async (t) => {
  const seen = new Set<string>()
  const counts = new Map<string, number>()
  for (let i = 0; i < 2000; i++) {
    const state = newState()
    t.match(state, /^[A-Za-z0-9]{32}$/)
    seen.add(state)
    for (const c of state) counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  t.equal(seen.size, 2000)
  t.equal(counts.size, 62, 'the whole alphabet is used')
  t.ok(32 * Math.log2(62) >= 128)
  t.ok(new RegExp(STATE_PATTERN).test(newState()))
  t.notOk(new RegExp(STATE_PATTERN).test('a'.repeat(129)), 'WeChat caps state at 128 bytes')
  t.notOk(new RegExp(STATE_PATTERN).test('<script>'))
})

test('browser bindings: 256 random bits, base64url', async (t) => {
  const a = newBrowserBinding()
  t.match(a, /^[A-Za-z0-9_-]{43}$/)
  t.not(a, newBrowserBinding())
})

test('a pending login is taken once', async (t) => {
  const store = createMemoryStore()
  await savePendingLogin(store, 'S1', { binding: 'b', next: '/orders', scope: 'snsapi_base' })
  t.same(await takePendingLogin(store, 'S1'), { binding: 'b', next: '/orders', scope: 'snsapi_base' })
  t.equal(await takePendingLogin(store, 'S1'), null, 'single use')
  t.equal(await takePendingLogin(store, 'never-minted'), null)
})

test('a pending login expires after 10 minutes', async (t) => {
  let now = 1_000_000
  const store = createMemoryStore({ now: () => now })
  t.equal(STATE_TTL_MS, 600_000)
  await savePendingLogin(store, 'S1', { binding: 'b', next: '/', scope: 'snsapi_userinfo' })
  await savePendingLogin(store, 'S2', { binding: 'b', next: '/', scope: 'snsapi_userinfo' })
  now += STATE_TTL_MS - 1
  t.not(await takePendingLogin(store, 'S1'), null, 'just inside')
  now += 1
  t.equal(await takePendingLogin(store, 'S2'), null, 'gone at 10 minutes')
})

test('unreadable records are no login', async (t) => {
  const store = createMemoryStore()
  const cases: Record<string, string> = {
    json: '{not json',
    binding: JSON.stringify({ binding: 1, next: '/', scope: 'snsapi_base' }),
    next: JSON.stringify({ binding: 'b', scope: 'snsapi_base' }),
    scope: JSON.stringify({ binding: 'b', next: '/', scope: 'snsapi_login' })
  }
  for (const [name, raw] of Object.entries(cases)) {
    await store.set(`oauth-state:${name}`, raw, 60_000)
    t.equal(await takePendingLogin(store, name), null, name)
  }
})
