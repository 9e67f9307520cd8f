import type { Account } from '../accounts/account.js'
import type { BotLogger } from '../bot/bot.js'
import { createHeldAnswers } from '../inbound/held-answers.js'
import { UNAUTHORIZED_ERRCODE } from '../inbound/late-reply.js'
import { switchToRetryWindow } from '../inbound/late-reply-mode.js'

/**
 * After a customer-service send stopped with `code`: in auto mode a 48001 switches the account to
 * retry-window (every instance, through its store) and keeps what was not sent for the fan's next
 * message. Whether it did.
 */
export async function holdAfterUnauthorized (account: Account, openid: string, rest: readonly string[], code: number | undefined, log: BotLogger): Promise<boolean> {
  if (code !== UNAUTHORIZED_ERRCODE || (account.settings.lateReplyMode ?? 'auto') !== 'auto') return false
  await switchToRetryWindow(account.store, log)
  await createHeldAnswers({ store: account.store, openid, log }).add(rest)
  log.warn({ code, held: rest.length }, 'the account may not send customer-service messages: late answers now ride on WeChat\'s retries; this one waits for the fan\'s next message')
  return true
}
