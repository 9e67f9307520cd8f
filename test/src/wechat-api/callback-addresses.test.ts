import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import { addressList, createCallbackAddresses, listed, type CallbackAddressesOptions } from '../../../src/wechat-api/callback-addresses.js'

test('addresses and CIDR ranges, IPv4 and IPv6; junk entries are left out', async (t) => {
  const { list, accepted, skipped } = addressList([
    '101.226.103.0/25', '203.0.113.7', ' 198.51.100.1 ', '2408:8000::/32', '::1',
    'nonsense', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/x', '::/129', ''
  ])
  t.same({ accepted, skipped }, { accepted: 5, skipped: 7 })
  t.ok(listed(list, '101.226.103.5'))
  t.ok(listed(list, '101.226.103.127'))
  t.notOk(listed(list, '101.226.103.128'), 'outside the /25')
  t.ok(listed(list, '203.0.113.7'))
  t.notOk(listed(list, '203.0.113.8'))
  t.ok(listed(list, '198.51.100.1'), 'surrounding spaces are trimmed')
  t.ok(listed(list, '::ffff:101.226.103.5'), 'an IPv4 client on a dual-stack socket')
  t.ok(listed(list, '2408:8000:1::9'))
  t.ok(listed(list, '::1'))
  t.notOk(listed(list, '2409::1'))
  t.notOk(listed(list, '10.1.2.3'), 'a skipped range lets nothing in')
  t.notOk(listed(list, undefined), 'no address (a socket already gone)')
  t.notOk(listed(list, 'not-an-ip'))
})

function options (lists: Array<string[] | Error>, extra: Partial<CallbackAddressesOptions> = {}): CallbackAddressesOptions & { calls: () => number, events: string[] } {
  let calls = 0
  const events: string[] = []
  return {
    fetch: async () => {
      const next = lists[Math.min(calls++, lists.length - 1)] as string[] | Error
      if (next instanceof Error) throw next
      return next
    },
    refreshMs: 60_000,
    retryMs: 60_000,
    onRefreshed: (accepted, skipped) => { events.push(`refreshed ${accepted}/${skipped}`) },
    onFailed: (error, keptLast) => { events.push(`failed ${(error as Error).name} kept=${String(keptLast)}`) },
    calls: () => calls,
    events,
    ...extra
  }
}

test('before the first list nothing is decided; a failed or empty refresh keeps the last good list', async (t) => {
  const opts = options([new Error('down'), ['203.0.113.0/24'], new Error('down'), ['junk'], ['198.51.100.0/24']])
  const addresses = createCallbackAddresses(opts)
  t.equal(addresses.allows('203.0.113.5'), undefined, 'no list yet')
  t.equal(await addresses.refresh(), false)
  t.equal(addresses.allows('203.0.113.5'), undefined, 'still none after a failure')
  t.equal(await addresses.refresh(), true)
  t.same([addresses.allows('203.0.113.5'), addresses.allows('198.51.100.5')], [true, false])
  t.equal(await addresses.refresh(), false, 'a failed refresh')
  t.equal(await addresses.refresh(), false, 'a list with nothing usable is a failure too')
  t.same([addresses.allows('203.0.113.5'), addresses.allows('198.51.100.5')], [true, false], 'the last good list stays')
  t.equal(await addresses.refresh(), true)
  t.same([addresses.allows('203.0.113.5'), addresses.allows('198.51.100.5')], [false, true], 'a new list replaces it')
  t.same(opts.events, ['failed Error kept=false', 'refreshed 1/0', 'failed Error kept=true', 'failed EmptyCallbackListError kept=true', 'refreshed 1/0'])
})

test('start: the first fetch, then a refresh every refreshMs, sooner (retryMs) after a failure; stop ends it', async (t) => {
  const opts = options([['203.0.113.0/24'], new Error('down'), ['198.51.100.0/24']], { refreshMs: 150, retryMs: 50 })
  const addresses = createCallbackAddresses(opts)
  t.teardown(() => { addresses.stop() })
  await addresses.start()
  t.equal(addresses.allows('203.0.113.5'), true, 'the first list is in when start resolves')
  await sleep(170)
  t.equal(opts.calls(), 2, 'refreshed after refreshMs (and failed)')
  t.equal(addresses.allows('203.0.113.5'), true)
  await sleep(80)
  t.equal(opts.calls(), 3, 'retried after retryMs')
  t.equal(addresses.allows('198.51.100.5'), true, 'the changed list is picked up')
  addresses.stop()
  await sleep(200)
  t.equal(opts.calls(), 3, 'no refresh after stop')
})

test('stop during a refresh: no timer is set once it ends', async (t) => {
  let release: (list: string[]) => void = () => {}
  let calls = 0
  const addresses = createCallbackAddresses({
    fetch: async () => { calls++; return await new Promise<string[]>((resolve) => { release = resolve }) },
    refreshMs: 20,
    retryMs: 20
  })
  const started = addresses.start()
  addresses.stop()
  release(['203.0.113.1'])
  await started
  await sleep(60)
  t.equal(calls, 1)
  t.equal(addresses.allows('203.0.113.1'), true, 'the list that arrived is still used')
})
