import type { BotLogger } from '../bot/bot.js'
import { PASSIVE_TEXT_MAX_BYTES, splitUtf8, utf8Bytes } from '../llm/split-text.js'
import type { Store } from '../store/store.js'

/** What the fan is told when the last delivery comes before the answer. */
export const HOLDING_TEXT = '还在想，稍后发任意消息取回答案'
/** Ends a reply that could not carry every held answer. */
export const MORE_HELD_NOTICE = '\n\n（还有回复，发任意消息查看）'
const NOTICE_BYTES = utf8Bytes(MORE_HELD_NOTICE)
/** "稍后" may be hours: a day, as the fan's model memory. */
export const DEFAULT_HELD_ANSWERS_TTL_MS = 24 * 60 * 60 * 1000

/** Under the account's store (its AppID), per fan: one fan's answers never reach another. */
export function heldAnswersKey (openid: string): string {
  return `late-answer:${openid}`
}

export interface HeldAnswersOptions {
  store: Store
  openid: string
  log: BotLogger
  ttlMs?: number
}

/**
 * Answers that no delivery of their push could carry (an account without customer-service
 * messages), kept for the fan's next message. Store failures are logged by kind, never thrown.
 */
export interface HeldAnswers {
  /** Adds texts after those already held. */
  add(texts: readonly string[]): Promise<void>
  /** Whether anything is held: a read, so that pushes of fans with nothing held stay on their path. */
  waiting(): Promise<boolean>
  /** Removes and returns what is held, atomically: one push delivers it. */
  take(): Promise<string[]>
}

function decode (value: string | null): string[] {
  if (value === null) return []
  try {
    const parsed: unknown = JSON.parse(value)
    return Array.isArray(parsed) && parsed.every((text) => typeof text === 'string') ? parsed : []
  } catch {
    return []
  }
}

export function createHeldAnswers ({ store, openid, log, ttlMs = DEFAULT_HELD_ANSWERS_TTL_MS }: HeldAnswersOptions): HeldAnswers {
  const key = heldAnswersKey(openid)
  const warn = (operation: string, error: unknown): void => {
    log.warn({ operation, errorType: (error as Error).name, code: (error as { code?: unknown }).code }, 'held answers store failed')
  }
  return {
    async add (texts) {
      // Every held text fits one reply with the notice after it.
      const parts = texts.flatMap((text) => splitUtf8(text, PASSIVE_TEXT_MAX_BYTES - NOTICE_BYTES))
      if (parts.length === 0) return
      try {
        // Taken, not read: a push taking them meanwhile either got them all or gets these next time.
        // Two answers for one fan held in the same instant on two instances: the later write wins.
        const held = decode(await store.getAndDelete(key))
        await store.set(key, JSON.stringify([...held, ...parts]), ttlMs)
      } catch (error) {
        warn('add', error)
      }
    },
    async waiting () {
      try {
        return await store.get(key) !== null
      } catch (error) {
        warn('waiting', error)
        return false
      }
    },
    async take () {
      try {
        return decode(await store.getAndDelete(key))
      } catch (error) {
        warn('take', error)
        return []
      }
    }
  }
}

/**
 * One passive text from the held answers and, after them, the new answer: as many as fit in
 * 2048 bytes, in order, with the notice when some are left; `rest` is to be held again.
 */
export function withHeld (held: readonly string[], answer: string | undefined): { text: string, rest: string[] } {
  const texts = answer === undefined ? [...held] : [...held, answer]
  let text = texts[0] ?? ''
  let count = 1
  for (; count < texts.length; count++) {
    const joined = `${text}\n\n${texts[count] as string}`
    const notice = count + 1 < texts.length ? NOTICE_BYTES : 0
    if (utf8Bytes(joined) + notice > PASSIVE_TEXT_MAX_BYTES) break
    text = joined
  }
  const rest = texts.slice(count)
  return { text: rest.length > 0 ? `${text}${MORE_HELD_NOTICE}` : text, rest }
}
