import { refuse } from './answer-schema.js'
import { readOpenidPage, walkOpenids } from './openid-pages.js'
import type { OpenidPage } from './openid-pages.js'
import type { CallWithToken } from './token-call.js'

export const BLACKLIST_PATHS = {
  list: '/cgi-bin/tags/members/getblacklist',
  add: '/cgi-bin/tags/members/batchblacklist',
  remove: '/cgi-bin/tags/members/batchunblacklist'
} as const

/** One call blacklists or releases up to 20 fans. */
export const MAX_BLACKLIST_BATCH = 20

export interface BlacklistApi {
  /** One page of up to 10,000 blacklisted openids after `beginOpenid` ('' for the first). */
  page(beginOpenid?: string): Promise<OpenidPage>
  all(): AsyncGenerator<string, void, undefined>
  add(openids: string[]): Promise<void>
  remove(openids: string[]): Promise<void>
}

export function createBlacklistApi (callWithToken: CallWithToken): BlacklistApi {
  async function page (beginOpenid = ''): Promise<OpenidPage> {
    const json = await callWithToken(BLACKLIST_PATHS.list, { method: 'POST', body: { begin_openid: beginOpenid } })
    return readOpenidPage(json, BLACKLIST_PATHS.list)
  }
  async function change (path: string, openids: string[]): Promise<void> {
    if (openids.length < 1 || openids.length > MAX_BLACKLIST_BATCH) refuse(path, `1 to ${MAX_BLACKLIST_BATCH} openids a call`)
    await callWithToken(path, { method: 'POST', body: { openid_list: openids } })
  }
  return {
    page,
    all: () => walkOpenids(page),
    add: async (openids) => { await change(BLACKLIST_PATHS.add, openids) },
    remove: async (openids) => { await change(BLACKLIST_PATHS.remove, openids) }
  }
}
