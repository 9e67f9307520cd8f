import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { QR_LIMITS, sceneOf } from '../src/wechat-api/qrcode.js'
import type { CliAccount } from './cli-account.js'
import { UsageError } from './cli-output.js'
import type { Outcome } from './cli-output.js'

export interface QrCodeRequest {
  scene: string
  /** Seconds; WeChat's longest, 30 days, when neither this nor `permanent` is given. */
  expire?: number
  permanent: boolean
  /** Where to save the image. */
  out?: string
}

/** `wemp qrcode create --scene S`: digits are a scene_id, anything else a scene_str. */
export async function qrcodeCreate (account: CliAccount, request: QrCodeRequest, cwd: string): Promise<Outcome> {
  const { qrCodes } = account.api.management
  const scene = sceneOf(request.scene)
  const expireSeconds = request.expire ?? QR_LIMITS.maxExpireSeconds
  const code = request.permanent ? await qrCodes.createPermanent(scene) : await qrCodes.createTemporary(scene, expireSeconds)
  const imageUrl = qrCodes.imageUrl(code.ticket)
  const lifetime = code.expireSeconds
  const expiresAt = lifetime === undefined ? null : new Date(Date.now() + lifetime * 1000).toISOString()
  let saved: { file: string, contentType: string, bytes: number } | undefined
  if (request.out !== undefined) {
    const image = await qrCodes.downloadImage(code.ticket)
    try {
      await writeFile(resolve(cwd, request.out), image.bytes)
    } catch (error) {
      throw new UsageError(`cannot write ${request.out} (${String((error as NodeJS.ErrnoException).code)})`)
    }
    saved = { file: request.out, contentType: image.contentType, bytes: image.bytes.length }
  }
  const sceneWords = `${typeof scene === 'number' ? 'scene_id' : 'scene_str'} ${String(scene)}`
  const text = [
    `${request.permanent ? 'permanent' : 'temporary'} QR code for ${sceneWords}${lifetime === undefined ? ', for good' : `, expires ${String(expiresAt)} (in ${duration(lifetime)})`}`,
    `  ticket  ${code.ticket}`,
    `  url     ${code.url}`,
    `  image   ${imageUrl}`,
    ...(saved === undefined ? [] : [`  saved   ${saved.file} (${saved.contentType}, ${saved.bytes} bytes)`]),
    `scanned, it pushes subscribe with EventKey qrscene_${String(scene)} (a new follower) or SCAN with EventKey ${String(scene)} (a follower)`
  ]
  return {
    text: text.join('\n'),
    json: {
      permanent: request.permanent,
      scene,
      ticket: code.ticket,
      url: code.url,
      imageUrl,
      expireSeconds: lifetime ?? null,
      expiresAt,
      ...(saved === undefined ? {} : { saved })
    }
  }
}

/** 2592000 → "30 days", 3600 → "1 hour", 90 → "90 seconds": the largest unit that divides it. */
export function duration (seconds: number): string {
  const units: Array<[string, number]> = [['day', 86_400], ['hour', 3600], ['minute', 60]]
  const [unit, size] = units.find(([, length]) => seconds % length === 0) ?? ['second', 1]
  const count = seconds / size
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}
