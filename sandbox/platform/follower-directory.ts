import type { Clock } from './platform-clock.js'

/** What WeChat keeps about a follower beyond the profile in `state.fans`. */
export interface FollowerRecord {
  remark: string
  /** In tagging order: a conditional menu matches the last tag given. */
  tagIds: number[]
  blacklisted: boolean
  /** Seconds since the epoch, as user/info reports it. */
  subscribeTime: number
  /** e.g. ADD_SCENE_SEARCH, ADD_SCENE_QR_CODE (then with qrScene / qrSceneStr). */
  subscribeScene: string
  qrScene: number
  qrSceneStr: string
}

export interface FollowerDirectory {
  /** The record of a follower, created with defaults on first use. */
  of(openid: string): FollowerRecord
}

export function createFollowerDirectory (now: Clock): FollowerDirectory {
  const records = new Map<string, FollowerRecord>()
  return {
    of (openid) {
      let record = records.get(openid)
      if (record === undefined) {
        record = { remark: '', tagIds: [], blacklisted: false, subscribeTime: Math.floor(now() / 1000), subscribeScene: 'ADD_SCENE_SEARCH', qrScene: 0, qrSceneStr: '' }
        records.set(openid, record)
      }
      return record
    }
  }
}
