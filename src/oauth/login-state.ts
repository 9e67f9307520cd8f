import { randomBytes, randomInt } from 'node:crypto'
import type { Store } from '../store/store.js'
import { storeCall } from '../store/store-call.js'
import { OAUTH_SCOPES, type OAuthScope } from './scopes.js'

/** How long the fan has on WeChat's page before the state runs out (docs/security.md H 74). */
export const STATE_TTL_MS = 10 * 60_000
/** WeChat allows up to 128 bytes of [a-zA-Z0-9]; anything else in a callback is malformed. */
export const STATE_PATTERN = '^[A-Za-z0-9]{0,128}$'

const STATE_LENGTH = 32
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** 32 characters of base62: about 190 bits from the CSPRNG, unbiased (randomInt rejects). */
export function newState (): string {
  let state = ''
  for (let i = 0; i < STATE_LENGTH; i++) state += ALPHABET[randomInt(ALPHABET.length)]
  return state
}

/**
 * A random value kept in the browser's session that every state minted for it carries: a state
 * presented with another browser's cookie is refused (docs/security.md H 75). It survives the session-id
 * regeneration at login, so two tabs logging in at once both finish.
 */
export function newBrowserBinding (): string {
  return randomBytes(32).toString('base64url')
}

/** What a state stands for, until its callback takes it. */
export interface PendingLogin {
  binding: string
  next: string
  scope: OAuthScope
}

function stateKey (state: string): string {
  return `oauth-state:${state}`
}

export async function savePendingLogin (store: Store, state: string, pending: PendingLogin): Promise<void> {
  await storeCall('state set', async () => { await store.set(stateKey(state), JSON.stringify(pending), STATE_TTL_MS) })
}

/**
 * Single use, atomically (GETDEL): of two callbacks racing with one state, one gets the login and
 * the other nothing, so a code is exchanged at most once (docs/security.md H 77). Unknown, expired,
 * taken or unreadable → null.
 */
export async function takePendingLogin (store: Store, state: string): Promise<PendingLogin | null> {
  const raw = await storeCall('state take', async () => await store.getAndDelete(stateKey(state)))
  if (raw === null) return null
  try {
    const value = JSON.parse(raw) as Partial<PendingLogin>
    if (typeof value.binding !== 'string' || typeof value.next !== 'string') return null
    if (!(OAUTH_SCOPES as readonly unknown[]).includes(value.scope)) return null
    return { binding: value.binding, next: value.next, scope: value.scope as OAuthScope }
  } catch {
    return null
  }
}
