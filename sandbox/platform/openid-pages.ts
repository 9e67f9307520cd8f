/** WeChat's page size for every openid list (user/get, user/tag/get, getblacklist). */
export const OPENID_PAGE_SIZE = 10_000

export interface OpenidPage {
  count: number
  openids: string[]
  /** The last openid of this page, to ask for the next one; '' once past the end. */
  next: string
}

/**
 * One page of `openids` after `after` ('' or absent: from the start). As WeChat does, the last
 * full or partial page still names its last openid, and the page after it is empty with ''.
 */
export function openidPage (openids: string[], after: string | undefined): OpenidPage | undefined {
  let start = 0
  if (after !== undefined && after !== '') {
    const index = openids.indexOf(after)
    if (index === -1) return undefined
    start = index + 1
  }
  const page = openids.slice(start, start + OPENID_PAGE_SIZE)
  return { count: page.length, openids: page, next: page.at(-1) ?? '' }
}

/** The JSON WeChat sends for a page: no `data` at all when it is empty. */
export function pageJson (page: OpenidPage): Record<string, unknown> {
  return { count: page.count, ...(page.count === 0 ? {} : { data: { openid: page.openids } }), next_openid: page.next }
}
