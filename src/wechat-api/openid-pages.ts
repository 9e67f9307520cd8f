import { Type } from '@sinclair/typebox'
import { answerReader } from './answer-schema.js'
import type { WeChatJson } from './http-call.js'

/** One page of an openid list (followers, a tag's fans, the blacklist): at most 10,000 openids. */
export interface OpenidPage {
  openids: string[]
  /** Pass back for the page after; '' when WeChat says the list is done. */
  nextOpenid: string
  /** The whole list's length, where WeChat reports it. */
  total?: number
}

const readPage = answerReader(Type.Object({
  total: Type.Optional(Type.Integer()),
  count: Type.Integer(),
  // An empty page comes without `data`.
  data: Type.Optional(Type.Object({ openid: Type.Array(Type.String()) })),
  next_openid: Type.Optional(Type.String())
}))

export function readOpenidPage (json: WeChatJson, path: string): OpenidPage {
  const page = readPage(json, path)
  return {
    openids: page.data?.openid ?? [],
    nextOpenid: page.next_openid ?? '',
    ...(page.total === undefined ? {} : { total: page.total })
  }
}

/**
 * Every openid of a paged list, page after page. WeChat's documents say the last page has an
 * empty next_openid; in practice it names its last openid and the page after is empty: both end
 * the walk, so does a page that would begin where the previous one did.
 */
export async function * walkOpenids (fetchPage: (nextOpenid: string) => Promise<OpenidPage>): AsyncGenerator<string, void, undefined> {
  let next = ''
  for (;;) {
    const page = await fetchPage(next)
    yield * page.openids
    if (page.openids.length === 0 || page.nextOpenid === '' || page.nextOpenid === next) return
    next = page.nextOpenid
  }
}
