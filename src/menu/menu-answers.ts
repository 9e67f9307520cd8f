import type { Bot, BotLogger } from '../bot/bot.js'
import { dryRun } from '../bot/rule-router.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import type { Reply } from '../protocol/reply.js'
import { unansweredClickKeys } from './click-keys.js'
import type { ClickKey } from './click-keys.js'
import type { Menu } from './menu-schema.js'

/**
 * Why a click key counts as unanswered: the push went past every rule to the fallback (for the
 * default bot, the echo's 菜单：KEY), the bot answered nothing, or the bot threw.
 */
export type Unanswered =
  | { why: 'fallback', reply: Reply | undefined }
  | { why: 'no-reply' }
  | { why: 'failed', error: string }

/** An unanswered click button, with the index of its menu in the list checked. */
export type UnansweredKey = ClickKey & Unanswered & { menu: number }

export interface ClickAnswers {
  /** Every click key of the menus, each distinct key once. */
  keys: string[]
  unanswered: UnansweredKey[]
}

/** The made-up fan and account a dry-run CLICK comes from and goes to. */
export const DRY_RUN_FAN = 'wemp-menu-check'
const DRY_RUN_ACCOUNT = 'gh_wempmenucheck'

const quiet: BotLogger = { info: () => {}, warn: () => {}, error: () => {} }

/** The CLICK event WeChat pushes when a fan taps the button with this key. */
export function clickPush (key: string, nowSeconds: number): InboundPush {
  return {
    kind: 'event',
    type: 'CLICK',
    message: { ToUserName: DRY_RUN_ACCOUNT, FromUserName: DRY_RUN_FAN, CreateTime: String(nowSeconds), MsgType: 'event', Event: 'CLICK', EventKey: key }
  }
}

/**
 * Asks the bot about every click key of the menus, as a fan tapping it would: a key is answered
 * when a rule of the bot answers its CLICK with a reply; reaching only the fallback, answering
 * nothing, or throwing is unanswered. Each distinct key is pushed once, one at a time.
 */
export async function clickAnswers (menus: readonly Menu[], bot: Bot, log: BotLogger = quiet): Promise<ClickAnswers> {
  const verdicts = new Map<string, Unanswered | undefined>()
  const ask = async (key: string): Promise<boolean> => {
    const verdict = await verdictOf(bot, key, log)
    verdicts.set(key, verdict)
    return verdict === undefined
  }
  const unanswered: UnansweredKey[] = []
  for (const [index, menu] of menus.entries()) {
    for (const click of await unansweredClickKeys(menu, async (key) => verdicts.has(key) ? verdicts.get(key) === undefined : await ask(key))) {
      unanswered.push({ ...click, ...(verdicts.get(click.key) as Unanswered), menu: index })
    }
  }
  return { keys: [...verdicts.keys()], unanswered }
}

async function verdictOf (bot: Bot, key: string, log: BotLogger): Promise<Unanswered | undefined> {
  try {
    const answer = await dryRun(bot, clickPush(key, Math.floor(Date.now() / 1000)), { log })
    if (answer.by === 'fallback') return { why: 'fallback', reply: answer.reply }
    return answer.reply === undefined ? { why: 'no-reply' } : undefined
  } catch (error) {
    return { why: 'failed', error: error instanceof Error ? error.message : String(error) }
  }
}
