import { test } from 'tap'
import { isWeChatBrowser, jssdkScript, loadsJssdk, profilePageScripts } from '../../../src/pages/jssdk-script.js'

const WECHAT = jssdkScript({ jssdkUrl: 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js', apiBase: 'https://api.weixin.qq.com' })
const SANDBOX = jssdkScript({ jssdkUrl: 'http://127.0.0.1:3100/open/js/jweixin-1.6.0.js', apiBase: 'http://127.0.0.1:3100' })

test('the JS-SDK is the sandbox\'s stand-in when the API\'s origin serves it', async (t) => {
  t.same(WECHAT, { url: 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js', origin: 'https://res.wx.qq.com', standIn: false })
  t.same(SANDBOX, { url: 'http://127.0.0.1:3100/open/js/jweixin-1.6.0.js', origin: 'http://127.0.0.1:3100', standIn: true })
  t.equal(jssdkScript({ jssdkUrl: 'http://127.0.0.1:3100/open/js/jweixin-1.6.0.js', apiBase: 'https://api.weixin.qq.com' }).standIn, false,
    'a sandbox SDK beside WeChat\'s API is not treated as the stand-in')
})

test('WeChat\'s browsers by their user agent', async (t) => {
  t.ok(isWeChatBrowser('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 XWEB/1160083 MMWEBSDK/20240301 MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64'))
  t.ok(isWeChatBrowser('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/81 NetType/WIFI MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat'))
  t.notOk(isWeChatBrowser('Mozilla/5.0 (Macintosh) Safari/605.1.15'))
  t.notOk(isWeChatBrowser(undefined))
  t.notOk(isWeChatBrowser(''))
})

test('the real SDK only inside WeChat; the stand-in in every browser', async (t) => {
  t.ok(loadsJssdk(WECHAT, 'x MicroMessenger/8.0'))
  t.notOk(loadsJssdk(WECHAT, 'Chrome/126'))
  t.notOk(loadsJssdk(WECHAT, undefined))
  t.ok(loadsJssdk(SANDBOX, 'Chrome/126'))
  t.ok(loadsJssdk(SANDBOX, undefined))
})

test('what the profile page\'s CSP names besides its nonce', async (t) => {
  t.same(profilePageScripts(WECHAT, true), { scriptOrigins: ['https://res.wx.qq.com'], connectOrigins: [] }, 'the real SDK calls nothing over the network')
  t.same(profilePageScripts(SANDBOX, true), { scriptOrigins: ['http://127.0.0.1:3100'], connectOrigins: ['http://127.0.0.1:3100'] })
  t.same(profilePageScripts(WECHAT, false), { scriptOrigins: [], connectOrigins: [] }, 'no SDK, no origin but ours')
})
