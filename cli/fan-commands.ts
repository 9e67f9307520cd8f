import type { FanInfo } from '../src/wechat-api/fans.js'
import type { Tag } from '../src/wechat-api/tags.js'
import type { CliAccount } from './cli-account.js'
import { UsageError } from './cli-output.js'
import type { Outcome } from './cli-output.js'

/** `wemp fans list`: every follower's openid, page after page. */
export async function fansList (account: CliAccount): Promise<Outcome> {
  const openids: string[] = []
  for await (const openid of account.api.management.fans.followers()) openids.push(openid)
  const count = `${openids.length} follower${openids.length === 1 ? '' : 's'}`
  return { text: [...openids, count].join('\n'), json: { total: openids.length, openids } }
}

/** `wemp fans get OPENID`: what user/info says, with the names of the fan's tags. */
export async function fansGet (account: CliAccount, openid: string): Promise<Outcome> {
  const { fans, tags } = account.api.management
  const info = await fans.info(openid)
  if (info.subscribe !== 1) {
    return { text: `${openid} does not follow ${account.settings.id} (WeChat keeps only the openid of a fan who unfollowed)`, json: { ...info, tags: [] } }
  }
  const names = new Map((info.tagid_list ?? []).length === 0 ? [] : (await tags.list()).map((tag) => [tag.id, tag.name]))
  const fanTags = (info.tagid_list ?? []).map((id) => ({ id, name: names.get(id) ?? null }))
  const rows: Array<[string, string]> = [
    ['openid', info.openid],
    ['follows since', info.subscribe_time === undefined ? 'yes' : new Date(info.subscribe_time * 1000).toISOString()],
    ['came from', cameFrom(info)],
    ['remark', info.remark ?? ''],
    ['tags', fanTags.map((tag) => `${tag.name ?? '?'} (${tag.id})`).join(', ')],
    ['unionid', info.unionid ?? ''],
    ['language', info.language ?? '']
  ]
  return { text: rows.map(([label, value]) => `${label.padEnd(14)}${value}`.trimEnd()).join('\n'), json: { ...info, tags: fanTags } }
}

/** The subscribe scene, with the QR code's scene when the fan followed by scanning one. */
function cameFrom (info: FanInfo): string {
  const scene = info.subscribe_scene ?? ''
  if (scene !== 'ADD_SCENE_QR_CODE') return scene
  return info.qr_scene_str !== undefined && info.qr_scene_str !== '' ? `${scene} (scene_str ${info.qr_scene_str})` : `${scene} (scene_id ${String(info.qr_scene ?? '')})`
}

/** `wemp fans tag OPENID TAG`: TAG is a tag id, or a name (a tag of that name is created when there is none). */
export async function fansTag (account: CliAccount, openid: string, tag: string): Promise<Outcome> {
  const { tags } = account.api.management
  let chosen: Tag
  let created = false
  if (/^[0-9]+$/.test(tag)) {
    const id = Number(tag)
    chosen = (await tags.list()).find((existing) => existing.id === id) ?? noTag(id)
  } else {
    const existing = (await tags.list()).find((entry) => entry.name === tag)
    created = existing === undefined
    chosen = existing ?? await tags.create(tag)
  }
  await tags.tagFans(chosen.id, [openid])
  return { text: `tagged ${openid} with ${chosen.name} (tag ${chosen.id}${created ? ', created' : ''})`, json: { openid, tag: chosen, created } }
}

function noTag (id: number): never {
  throw new UsageError(`no tag has the id ${id} (a name instead of an id creates the tag)`)
}
