import { randomBytes } from 'node:crypto'
import type { Clock } from './platform-clock.js'
import { randomId } from './random-id.js'

export type QrActionName = 'QR_SCENE' | 'QR_STR_SCENE' | 'QR_LIMIT_SCENE' | 'QR_LIMIT_STR_SCENE'

export interface IssuedQrCode {
  ticket: string
  actionName: QrActionName
  /** The scene a scan reports: scene_id or scene_str. */
  scene: number | string
  /** The address the QR code encodes. */
  url: string
  /** Milliseconds since the epoch; undefined for permanent codes. */
  expiresAt: number | undefined
  createdAt: number
  /** The account that made it (by its token); the first account's when not said. */
  appId?: string
}

export interface QrCodeRegistry {
  /** Every code issued, by ticket, expired ones included (the console shows them). */
  readonly codes: Map<string, IssuedQrCode>
  issue(actionName: QrActionName, scene: number | string, expireSeconds: number | undefined, appId?: string): IssuedQrCode
  /** A code that can still be scanned. */
  live(ticket: string): IssuedQrCode | undefined
  /** Permanent codes issued: WeChat allows 100,000 per account. */
  permanentCount(): number
}

export function createQrCodeRegistry (now: Clock): QrCodeRegistry {
  const codes = new Map<string, IssuedQrCode>()
  return {
    codes,
    issue (actionName, scene, expireSeconds, appId) {
      const url = `http://weixin.qq.com/q/${randomId(15)}`
      // Real tickets are standard base64 (with + / and = padding) of a record holding the URL:
      // they must be URL-encoded for showqrcode, which the fake's tickets make visible too.
      const ticket = Buffer.concat([randomBytes(12), Buffer.from(url), randomBytes(4)]).toString('base64')
      const code: IssuedQrCode = {
        ticket,
        actionName,
        scene,
        url,
        expiresAt: expireSeconds === undefined ? undefined : now() + expireSeconds * 1000,
        createdAt: now(),
        ...(appId === undefined ? {} : { appId })
      }
      codes.set(ticket, code)
      return code
    },
    live (ticket) {
      const code = codes.get(ticket)
      return code !== undefined && (code.expiresAt === undefined || code.expiresAt > now()) ? code : undefined
    },
    permanentCount: () => [...codes.values()].filter((code) => code.expiresAt === undefined).length
  }
}
