import type { AccountSecrets, MessageMode } from './push-envelope.js'
import type { PlatformState } from './platform/platform-state.js'
import type { SandboxSession } from './sandbox-state.js'

/** One account the console can write to, as its server knows it. */
export interface ConsoleAccount {
  /** The account's id on the server (its push URL is /wechat/<id>). */
  id: string
  name: string
  secrets: AccountSecrets
  mode: MessageMode
  serverUrl: string
  /** The original id (gh_…) the pushes are addressed to. */
  accountId: string
}

export interface ConsoleRoutesOptions {
  state: PlatformState
  session: SandboxSession
  /** The first is the one the console opens on. */
  accounts: readonly ConsoleAccount[]
  assets: string
  timeoutMs?: number
  retries?: number
}
