import { createCipheriv, createHash, randomBytes } from 'node:crypto'

/** Builds signed pushes the way the WeChat platform does, a fresh nonce and MsgId each time. */
export interface PushFactory {
  next(): { path: string, body: string }
}

const sha1 = (parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex')
let counter = 0

function textXml (msgId: string): string {
  return '<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oBenchFan000000000000000001]]></FromUserName>' +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好，wemp benchmark]]></Content><MsgId>${msgId}</MsgId></xml>`
}

export function plainPushes (token: string): PushFactory {
  return {
    next () {
      const timestamp = String(Math.floor(Date.now() / 1000))
      const nonce = `b${++counter}`
      const query = new URLSearchParams({ signature: sha1([token, timestamp, nonce]), timestamp, nonce })
      return { path: `/wechat?${query.toString()}`, body: textXml(String(7_000_000_000_000_000_000n + BigInt(counter))) }
    }
  }
}

export function safePushes (token: string, appId: string, encodingAesKey: string): PushFactory {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  return {
    next () {
      const timestamp = String(Math.floor(Date.now() / 1000))
      const nonce = `s${++counter}`
      const msg = Buffer.from(textXml(String(8_000_000_000_000_000_000n + BigInt(counter))))
      const length = Buffer.alloc(4)
      length.writeUInt32BE(msg.length)
      const full = Buffer.concat([randomBytes(16), length, msg, Buffer.from(appId)])
      const pad = 32 - (full.length % 32)
      const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false)
      const encrypt = Buffer.concat([cipher.update(Buffer.concat([full, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
      const query = new URLSearchParams({
        signature: sha1([token, timestamp, nonce]), timestamp, nonce, encrypt_type: 'aes', msg_signature: sha1([token, timestamp, nonce, encrypt])
      })
      return { path: `/wechat?${query.toString()}`, body: `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` }
    }
  }
}
