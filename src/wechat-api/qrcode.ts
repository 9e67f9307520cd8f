import { Type } from '@sinclair/typebox'
import { answerReader, refuse } from './answer-schema.js'
import { downloadWeChat } from './http-call.js'
import type { WeChatFile } from './http-call.js'
import type { CallWithToken } from './token-call.js'
import { WeChatApiError } from './wechat-api-error.js'

export const QRCODE_CREATE_PATH = '/cgi-bin/qrcode/create'
export const SHOW_QRCODE_PATH = '/cgi-bin/showqrcode'

/** Temporary codes live at most 30 days; permanent ones are 100,000 per account, for good. */
export const QR_LIMITS = {
  maxExpireSeconds: 2_592_000,
  /** Temporary integer scenes are 32-bit and non-zero. */
  maxTemporarySceneId: 0xffffffff,
  maxPermanentSceneId: 100_000,
  maxSceneStrLength: 64
} as const

const readQrCode = answerReader(Type.Object({
  ticket: Type.String({ minLength: 1 }),
  expire_seconds: Type.Optional(Type.Integer()),
  url: Type.String()
}))

export interface QrCode {
  /** Exchanged for the image at showqrcode. */
  ticket: string
  /** The address the code holds: a QR code of it may be drawn instead of downloading the image. */
  url: string
  /** Temporary codes only. */
  expireSeconds?: number
}

export interface QrCodeApi {
  /** A code that expires: the scene is an integer (1 to 2^32−1) or a string of 1–64 characters. */
  createTemporary(scene: number | string, expireSeconds: number): Promise<QrCode>
  /** A code for good: an integer scene of 1–100000, or a string of 1–64 characters. */
  createPermanent(scene: number | string): Promise<QrCode>
  /** Where the image is: showqrcode on mp.weixin.qq.com, with the ticket URL-encoded. */
  imageUrl(ticket: string): string
  downloadImage(ticket: string): Promise<WeChatFile>
}

export interface QrCodeOptions {
  qrImageBase: string
  timeoutMs?: number
}

function sceneBody (scene: number | string, maxId: number): { scene_id: number } | { scene_str: string } {
  if (typeof scene === 'string') {
    if (scene.length < 1 || scene.length > QR_LIMITS.maxSceneStrLength) refuse(QRCODE_CREATE_PATH, `a scene string has 1 to ${QR_LIMITS.maxSceneStrLength} characters`)
    return { scene_str: scene }
  }
  if (!Number.isInteger(scene) || scene < 1 || scene > maxId) refuse(QRCODE_CREATE_PATH, `a scene id is an integer from 1 to ${maxId}`)
  return { scene_id: scene }
}

export function createQrCodeApi (callWithToken: CallWithToken, options: QrCodeOptions): QrCodeApi {
  async function create (body: Record<string, unknown>): Promise<QrCode> {
    const json = readQrCode(await callWithToken(QRCODE_CREATE_PATH, { method: 'POST', body }), QRCODE_CREATE_PATH)
    return { ticket: json.ticket, url: json.url, ...(json.expire_seconds === undefined ? {} : { expireSeconds: json.expire_seconds }) }
  }
  return {
    async createTemporary (scene, expireSeconds) {
      if (!Number.isInteger(expireSeconds) || expireSeconds < 1 || expireSeconds > QR_LIMITS.maxExpireSeconds) {
        refuse(QRCODE_CREATE_PATH, `expireSeconds is an integer from 1 to ${QR_LIMITS.maxExpireSeconds} (30 days)`)
      }
      const sceneInfo = sceneBody(scene, QR_LIMITS.maxTemporarySceneId)
      const actionName = 'scene_id' in sceneInfo ? 'QR_SCENE' : 'QR_STR_SCENE'
      return await create({ expire_seconds: expireSeconds, action_name: actionName, action_info: { scene: sceneInfo } })
    },
    async createPermanent (scene) {
      const sceneInfo = sceneBody(scene, QR_LIMITS.maxPermanentSceneId)
      const actionName = 'scene_id' in sceneInfo ? 'QR_LIMIT_SCENE' : 'QR_LIMIT_STR_SCENE'
      return await create({ action_name: actionName, action_info: { scene: sceneInfo } })
    },
    imageUrl: (ticket) => `${options.qrImageBase.replace(/\/+$/, '')}${SHOW_QRCODE_PATH}?ticket=${encodeURIComponent(ticket)}`,
    async downloadImage (ticket) {
      // showqrcode takes no access_token: it is a plain download from mp.weixin.qq.com.
      const answer = await downloadWeChat({ apiBase: options.qrImageBase, timeoutMs: options.timeoutMs }, { method: 'GET', path: SHOW_QRCODE_PATH, query: { ticket } })
      if (answer.kind === 'file') return answer.file
      throw new WeChatApiError({ kind: 'bad-response', path: SHOW_QRCODE_PATH, detail: 'JSON instead of an image' })
    }
  }
}

/**
 * A scene as an operator writes it (`wemp qrcode create --scene 123`): digits are a scene_id,
 * anything else a scene_str. A leading zero keeps it a string, so `007` is not scanned back as 7.
 */
export function sceneOf (text: string): number | string {
  return /^[1-9][0-9]*$/.test(text) ? Number(text) : text
}
