/**
 * Who follows which account in the console. The fans the platform starts with follow every
 * account; a fan made in the console follows none until they subscribe (the 关注 button, or a
 * QR code). A scan is a `subscribe` with `qrscene_…` for a fan who does not follow yet, `SCAN`
 * for one who does, as in WeChat.
 */
export interface FollowState {
  follows(accountId: string, openid: string): boolean
  set(accountId: string, openid: string, following: boolean): void
  /** A fan new to the platform: follows no account yet. */
  addNewcomer(openid: string): void
}

export function createFollowState (): FollowState {
  const explicit = new Map<string, boolean>()
  const newcomers = new Set<string>()
  const key = (accountId: string, openid: string): string => `${accountId}\n${openid}`
  return {
    follows: (accountId, openid) => explicit.get(key(accountId, openid)) ?? !newcomers.has(openid),
    set (accountId, openid, following) {
      explicit.set(key(accountId, openid), following)
    },
    addNewcomer (openid) {
      newcomers.add(openid)
    }
  }
}
