import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { Logger as BotLogger } from '../logger.js'
import type { Store } from '../store/store.js'

/**
 * A day, as the fan's remembered location: long enough for a conversation to pick up after
 * lunch, short enough that yesterday's chat does not steer today's answers (and is not kept).
 */
export const DEFAULT_MEMORY_TTL_MS = 24 * 60 * 60 * 1000
/** Per side of a turn: a long answer is remembered by its start, so prompts stay bounded. */
export const MAX_REMEMBERED_CHARS = 1500

const Turn = Type.Object({ user: Type.String(), assistant: Type.String() })
const Memory = Type.Object({ turns: Type.Array(Turn) })
export type Turn = Static<typeof Turn>

export function memoryKey (openid: string): string {
  return `llm-memory:${openid}`
}

export interface FanMemoryOptions {
  /** Already the account's own (namespaced by the caller): one account never reads another's. */
  store: Store
  openid: string
  maxTurns: number
  ttlMs?: number
  log: BotLogger
}

/** One fan's last turns with the model, in the shared store so that every instance sees them. */
export interface FanMemory {
  /** The remembered turns, oldest first; none when the store fails or holds something else. */
  recall(): Promise<Turn[]>
  /** Adds a turn after those recalled, keeping the last maxTurns; a store failure is only logged. */
  remember(turn: Turn): Promise<void>
  /** /reset: false when the store failed. */
  forget(): Promise<boolean>
}

const clip = (text: string): string => {
  const codePoints = Array.from(text)
  return codePoints.length <= MAX_REMEMBERED_CHARS ? text : codePoints.slice(0, MAX_REMEMBERED_CHARS).join('')
}

function decode (value: string | null): Turn[] {
  if (value === null) return []
  try {
    const parsed: unknown = JSON.parse(value)
    return Value.Check(Memory, parsed) ? parsed.turns : []
  } catch {
    return []
  }
}

export function createFanMemory ({ store, openid, maxTurns, ttlMs = DEFAULT_MEMORY_TTL_MS, log }: FanMemoryOptions): FanMemory {
  const key = memoryKey(openid)
  let recalled: Turn[] = []
  // The error's type and code only: a store error may quote the key, which holds the openid.
  const warn = (operation: string, error: unknown): void => {
    log.warn({ operation, errorType: (error as Error).name, code: (error as { code?: unknown }).code }, 'llm memory store failed')
  }
  return {
    async recall () {
      if (maxTurns === 0) return []
      try {
        recalled = decode(await store.get(key)).slice(-maxTurns)
      } catch (error) {
        warn('recall', error)
      }
      return recalled
    },
    async remember (turn) {
      if (maxTurns === 0) return
      // Two texts at once on two instances: the later write wins and one turn is lost, which is
      // cheaper than a lock on every message.
      const turns = [...recalled, { user: clip(turn.user), assistant: clip(turn.assistant) }].slice(-maxTurns)
      try {
        await store.set(key, JSON.stringify({ turns }), ttlMs)
        recalled = turns
      } catch (error) {
        warn('remember', error)
      }
    },
    async forget () {
      recalled = []
      try {
        await store.delete(key)
        return true
      } catch (error) {
        warn('forget', error)
        return false
      }
    }
  }
}
