import { test } from 'tap'
import { loadConfig } from '../../src/config.js'
import { configErrorOf } from '../helpers/config.js'

test('readiness, rate-limit and callback-address settings have defaults', async (t) => {
  t.match(loadConfig({}).config, {
    readyMaxEventLoopDelayMs: 1000,
    readyMaxHeapPercent: 90,
    webRateLimitMax: 60,
    webRateLimitWindowSeconds: 60,
    wechatCallbackIpCheck: false,
    wechatCallbackIpRefreshSeconds: 3600
  })
})

test('each is read from its variable', async (t) => {
  t.match(loadConfig({
    READY_MAX_EVENT_LOOP_DELAY_MS: '250',
    READY_MAX_HEAP_PERCENT: '0',
    WEB_RATE_LIMIT_MAX: '5',
    WEB_RATE_LIMIT_WINDOW_SECONDS: '10',
    WECHAT_CALLBACK_IP_CHECK: 'on',
    WECHAT_CALLBACK_IP_REFRESH_SECONDS: '600'
  }).config, {
    readyMaxEventLoopDelayMs: 250,
    readyMaxHeapPercent: 0,
    webRateLimitMax: 5,
    webRateLimitWindowSeconds: 10,
    wechatCallbackIpCheck: true,
    wechatCallbackIpRefreshSeconds: 600
  })
})

test('WECHAT_CALLBACK_IP_CHECK takes on/off, true/false and 1/0', async (t) => {
  for (const on of ['on', 'true', '1']) t.equal(loadConfig({ WECHAT_CALLBACK_IP_CHECK: on }).config.wechatCallbackIpCheck, true, on)
  for (const off of ['off', 'false', '0']) t.equal(loadConfig({ WECHAT_CALLBACK_IP_CHECK: off }).config.wechatCallbackIpCheck, false, off)
  t.match(configErrorOf(() => loadConfig({ WECHAT_CALLBACK_IP_CHECK: 'yes' })), /^WECHAT_CALLBACK_IP_CHECK is invalid/)
})

test('out-of-range values name their variable', async (t) => {
  const bad: Record<string, string> = {
    READY_MAX_EVENT_LOOP_DELAY_MS: '-1',
    READY_MAX_HEAP_PERCENT: '101',
    WEB_RATE_LIMIT_MAX: 'many',
    WEB_RATE_LIMIT_WINDOW_SECONDS: '0',
    WECHAT_CALLBACK_IP_REFRESH_SECONDS: '0'
  }
  for (const [name, value] of Object.entries(bad)) {
    t.match(configErrorOf(() => loadConfig({ [name]: value })), new RegExp(`^${name} is invalid`), `${name}=${value}`)
  }
})
