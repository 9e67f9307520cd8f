import { test } from 'tap'
import { jssdkSignature } from '../../../src/wechat-api/jssdk-signature.js'

// docs/protocol.md §7, the official JS-SDK 附录1 example
const jsapiTicket = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg'
const nonceStr = 'Wm3WZYTPz0wzccnW'

test('the current official example signs to 0f9de62f…', async (t) => {
  t.equal(jssdkSignature({ jsapiTicket, nonceStr, timestamp: 1414587457, url: 'http://mp.weixin.qq.com?params=value' }), '0f9de62fce790f9a083d5c99e95740ceb90c27ed')
})

test('the older revision (url without query) signs to f4d90daf…', async (t) => {
  t.equal(jssdkSignature({ jsapiTicket, nonceStr, timestamp: '1414587457', url: 'http://mp.weixin.qq.com' }), 'f4d90daf4b3bca3078ab155816175ba34c443a7b')
})

test('the #fragment is dropped, nothing is escaped', async (t) => {
  const base = { jsapiTicket, nonceStr, timestamp: 1414587457 }
  t.equal(jssdkSignature({ ...base, url: 'http://mp.weixin.qq.com?params=value#/page?x=1' }), '0f9de62fce790f9a083d5c99e95740ceb90c27ed')
  t.not(jssdkSignature({ ...base, url: 'http://mp.weixin.qq.com?params=va%6Cue' }), '0f9de62fce790f9a083d5c99e95740ceb90c27ed', 'percent-encoding is signed as given')
})
