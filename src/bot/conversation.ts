import type { Store } from '../store/store.js'
import type { BotLogger } from './bot.js'

/** A question the bot asked a fan and is waiting for the answer to. */
export interface PendingTopic {
  /** The name a `.topic(name, …)` rule was registered under. */
  name: string
  /** Whatever the asking rule stored with the question (JSON); undefined when none. */
  data: unknown
}

/**
 * One fan's conversation, kept in the shared store under `conv:<openid>` so that the answer may
 * reach any instance. Store failures never reject: a lost conversation only means the fan's next
 * text is routed as an ordinary message, which beats making WeChat retry.
 */
export interface Conversation {
  /** The pending question, if any (read once per push, then remembered). */
  pending(): Promise<PendingTopic | null>
  /** Sends the fan's next text to `.topic(name, …)` first; false when the store failed. */
  ask(name: string, data?: unknown): Promise<boolean>
  /** Forgets the pending question. */
  end(): Promise<void>
}

export interface RouterConversation extends Conversation {
  /** Removes and returns the pending question atomically, so only one push answers it. */
  take(): Promise<PendingTopic | null>
}

export interface ConversationOptions {
  store: Store
  openid: string
  ttlMs: number
  log: BotLogger
}

export const DEFAULT_CONVERSATION_TTL_MS = 5 * 60 * 1000

export function conversationKey (openid: string): string {
  return `conv:${openid}`
}

function decode (value: string | null): PendingTopic | null {
  if (value === null) return null
  try {
    const parsed = JSON.parse(value) as { topic?: unknown, data?: unknown } | null
    if (typeof parsed?.topic !== 'string') return null
    return { name: parsed.topic, data: parsed.data }
  } catch {
    return null
  }
}

/** The conversation of the fan who sent the current push. */
export function createConversation ({ store, openid, ttlMs, log }: ConversationOptions): RouterConversation {
  const key = conversationKey(openid)
  let read: Promise<PendingTopic | null> | undefined

  // Only the error's type and code: a store error may carry the key, which holds the openid.
  const warn = (operation: string, error: unknown): void => {
    log.warn({ operation, errorType: (error as Error).name, code: (error as { code?: unknown }).code }, 'conversation store failed')
  }

  async function load (operation: 'pending' | 'take'): Promise<PendingTopic | null> {
    try {
      return decode(operation === 'take' ? await store.getAndDelete(key) : await store.get(key))
    } catch (error) {
      warn(operation, error)
      return null
    }
  }

  return {
    pending () {
      read ??= load('pending')
      return read
    },
    async take () {
      const taken = await load('take')
      read = Promise.resolve(null)
      return taken
    },
    async ask (name, data) {
      try {
        const value = JSON.stringify({ topic: name, data })
        await store.set(key, value, ttlMs)
        // As another instance would read it back: data as JSON carries it.
        read = Promise.resolve(decode(value))
        return true
      } catch (error) {
        warn('ask', error)
        return false
      }
    },
    async end () {
      read = Promise.resolve(null)
      try {
        await store.delete(key)
      } catch (error) {
        warn('end', error)
      }
    }
  }
}
