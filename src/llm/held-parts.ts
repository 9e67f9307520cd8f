import type { Logger as BotLogger } from '../logger.js'
import type { Store } from '../store/store.js'
import { utf8Bytes } from './split-text.js'

/** The word that asks for the next part, and what a part that has more after it ends with. */
export const CONTINUE_WORD = '继续'
export const CONTINUE_NOTICE = '\n\n（回复“继续”查看后续）'
/** What a long answer's split leaves for the notice, so that every part fits with it. */
export const CONTINUE_NOTICE_BYTES = utf8Bytes(CONTINUE_NOTICE)
/** How long the rest of an answer waits for "继续". */
export const DEFAULT_HELD_PARTS_TTL_MS = 60 * 60 * 1000

export function heldPartsKey (openid: string): string {
  return `llm-more:${openid}`
}

export interface HeldPartsOptions {
  store: Store
  openid: string
  ttlMs?: number
  log: BotLogger
}

/** The rest of an answer too long for one message, kept for the fan's "继续". */
export interface HeldParts {
  /** Keeps the parts (replacing any older ones); false when the store failed. */
  hold(parts: readonly string[]): Promise<boolean>
  /** The next part, with the notice when more remain; null when nothing is held. */
  next(): Promise<string | null>
  /** Drops what is held: a new answer or /reset makes the old rest meaningless. */
  drop(): Promise<void>
}

function decode (value: string | null): string[] {
  if (value === null) return []
  try {
    const parsed: unknown = JSON.parse(value)
    return Array.isArray(parsed) && parsed.every((part) => typeof part === 'string') ? parsed : []
  } catch {
    return []
  }
}

export function createHeldParts ({ store, openid, ttlMs = DEFAULT_HELD_PARTS_TTL_MS, log }: HeldPartsOptions): HeldParts {
  const key = heldPartsKey(openid)
  const warn = (operation: string, error: unknown): void => {
    log.warn({ operation, errorType: (error as Error).name, code: (error as { code?: unknown }).code }, 'llm held parts store failed')
  }
  const hold = async (parts: readonly string[]): Promise<boolean> => {
    try {
      await store.set(key, JSON.stringify(parts), ttlMs)
      return true
    } catch (error) {
      warn('hold', error)
      return false
    }
  }
  return {
    hold,
    async next () {
      let parts: string[]
      try {
        // Taken atomically: two "继续" at once get one part, not the same part twice.
        parts = decode(await store.getAndDelete(key))
      } catch (error) {
        warn('next', error)
        return null
      }
      const [first, ...rest] = parts
      if (first === undefined) return null
      return rest.length > 0 && await hold(rest) ? `${first}${CONTINUE_NOTICE}` : first
    },
    async drop () {
      try {
        await store.delete(key)
      } catch (error) {
        warn('drop', error)
      }
    }
  }
}
