import { Type, type Static } from '@sinclair/typebox'
import { answerReader, refuse } from './answer-schema.js'
import { readOpenidPage, walkOpenids } from './openid-pages.js'
import type { OpenidPage } from './openid-pages.js'
import type { CallWithToken } from './token-call.js'

export const FAN_PATHS = {
  info: '/cgi-bin/user/info',
  batchInfo: '/cgi-bin/user/info/batchget',
  list: '/cgi-bin/user/get',
  remark: '/cgi-bin/user/info/updateremark'
} as const

export const MAX_BATCH_INFO = 100
/** In UTF-8 bytes: 10 Chinese characters. */
export const MAX_REMARK_BYTES = 30

export type Language = 'zh_CN' | 'zh_TW' | 'en'

/**
 * A fan as user/info describes them. Since 2021-12-27 WeChat sends no nickname or avatar here
 * (web authorization still does); a fan who unfollowed has only `subscribe: 0` and the openid.
 */
const FanInfo = Type.Object({
  subscribe: Type.Integer(),
  openid: Type.String(),
  language: Type.Optional(Type.String()),
  subscribe_time: Type.Optional(Type.Integer()),
  unionid: Type.Optional(Type.String()),
  remark: Type.Optional(Type.String()),
  tagid_list: Type.Optional(Type.Array(Type.Integer())),
  subscribe_scene: Type.Optional(Type.String()),
  qr_scene: Type.Optional(Type.Integer()),
  qr_scene_str: Type.Optional(Type.String())
})
export type FanInfo = Static<typeof FanInfo>

const readInfo = answerReader(FanInfo)
const readBatch = answerReader(Type.Object({ user_info_list: Type.Array(FanInfo) }))

export interface FanApi {
  info(openid: string, lang?: Language): Promise<FanInfo>
  /** Up to 100 fans in one call. */
  batchInfo(openids: string[], lang?: Language): Promise<FanInfo[]>
  /** One page of up to 10,000 followers after `nextOpenid` ('' for the first). */
  page(nextOpenid?: string): Promise<OpenidPage>
  /** Every follower's openid, fetching page after page as the loop asks. */
  followers(): AsyncGenerator<string, void, undefined>
  /** At most 30 bytes (10 Chinese characters). */
  setRemark(openid: string, remark: string): Promise<void>
}

export function createFanApi (callWithToken: CallWithToken): FanApi {
  async function page (nextOpenid = ''): Promise<OpenidPage> {
    const json = await callWithToken(FAN_PATHS.list, { method: 'GET', query: nextOpenid === '' ? {} : { next_openid: nextOpenid } })
    return readOpenidPage(json, FAN_PATHS.list)
  }
  return {
    async info (openid, lang = 'zh_CN') {
      return readInfo(await callWithToken(FAN_PATHS.info, { method: 'GET', query: { openid, lang } }), FAN_PATHS.info)
    },
    async batchInfo (openids, lang = 'zh_CN') {
      if (openids.length < 1 || openids.length > MAX_BATCH_INFO) refuse(FAN_PATHS.batchInfo, `1 to ${MAX_BATCH_INFO} openids a call`)
      const body = { user_list: openids.map((openid) => ({ openid, lang })) }
      return readBatch(await callWithToken(FAN_PATHS.batchInfo, { method: 'POST', body }), FAN_PATHS.batchInfo).user_info_list
    },
    page,
    followers: () => walkOpenids(page),
    async setRemark (openid, remark) {
      if (Buffer.byteLength(remark, 'utf8') > MAX_REMARK_BYTES) refuse(FAN_PATHS.remark, `a remark is at most ${MAX_REMARK_BYTES} bytes (10 Chinese characters)`)
      await callWithToken(FAN_PATHS.remark, { method: 'POST', body: { openid, remark } })
    }
  }
}
