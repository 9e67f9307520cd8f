import { test } from 'tap'
import { serverOptions } from '../../src/server-options.js'
import { testConfig } from '../helpers/config.js'

test('trustProxy: "true" and "false" become booleans, anything else is passed as is', async (t) => {
  t.equal(serverOptions(testConfig({ trustProxy: 'true' })).trustProxy, true)
  t.equal(serverOptions(testConfig({ trustProxy: 'false' })).trustProxy, false)
  t.equal(serverOptions(testConfig({ trustProxy: 'loopback' })).trustProxy, 'loopback')
  t.equal(serverOptions(testConfig({ trustProxy: '10.0.0.0/8,127.0.0.1' })).trustProxy, '10.0.0.0/8,127.0.0.1')
})

test('slow clients are cut off and the body is bounded', async (t) => {
  const options = serverOptions(testConfig())
  t.ok(typeof options.requestTimeout === 'number' && options.requestTimeout > 0 && options.requestTimeout <= 10_000, 'requestTimeout set, ≤ 10 s')
  t.ok(typeof options.connectionTimeout === 'number' && options.connectionTimeout > 0, 'connectionTimeout set')
  t.ok(typeof options.bodyLimit === 'number' && options.bodyLimit >= 64 * 1024, 'bodyLimit at least the /wechat limit')
  t.equal(options.return503OnClosing, true)
})

test('the logger follows the configured level', async (t) => {
  t.match(serverOptions(testConfig({ logLevel: 'warn' })).logger, { level: 'warn' })
  t.match(serverOptions(testConfig({ logLevel: 'trace' })).logger, { level: 'trace' })
})
