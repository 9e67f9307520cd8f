import type { Bot, BotLogger, HandlerContext } from '../bot/bot.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import { NO_REPLY, renderReply, type Reply } from '../protocol/reply.js'

export interface AnswerDeps {
  bot: Bot
  log: BotLogger
  nowSeconds: () => number
  /** How long the bot may take before WeChat is answered without it and `late` takes over; absent: no limit. */
  deadlineMs?: number
  /** Receives the answer of a bot that missed the deadline. */
  late?(reply: Reply | undefined): Promise<unknown>
  /** What the bot's context carries besides the logger. */
  context?: Omit<HandlerContext, 'log'>
  /**
   * What the passive reply says, given the bot's answer, or undefined with `missed` when the
   * deadline passed first. Without it: the answer, and `success` when missed.
   */
  replyWith?(answer: Reply | undefined, missed: boolean): Reply | undefined | Promise<Reply | undefined>
}

const MISSED = Symbol('missed')

/**
 * Runs the bot on a push and renders its passive reply (or `success`). A handler that throws in
 * time propagates: the caller must not answer `success`, so that WeChat's retry gets another chance.
 */
export async function answerPush (push: InboundPush, deps: AnswerDeps): Promise<string> {
  const work = Promise.resolve().then(async () => await deps.bot(push, { ...deps.context, log: deps.log }))
  const first = deps.deadlineMs === undefined ? await work : await beforeDeadline(work, deps.deadlineMs)
  if (first === MISSED) {
    deps.log.warn({ pushType: push.type, deadlineMs: deps.deadlineMs }, 'handler missed the reply deadline; answering without it, its answer follows')
    work.then(async (late) => await deps.late?.(late), (err: unknown) => { deps.log.error({ err, pushType: push.type }, 'handler failed after the deadline') })
      .catch((err: unknown) => { deps.log.error({ err }, 'late reply failed') })
    return renderPassive(push, await deps.replyWith?.(undefined, true), deps)
  }
  return renderPassive(push, deps.replyWith === undefined ? first : await deps.replyWith(first, false), deps)
}

async function beforeDeadline<T> (work: Promise<T>, deadlineMs: number): Promise<T | typeof MISSED> {
  let timer: NodeJS.Timeout | undefined
  const missed = new Promise<typeof MISSED>((resolve) => { timer = setTimeout(() => resolve(MISSED), deadlineMs) })
  return await Promise.race([work, missed]).finally(() => clearTimeout(timer))
}

/** The passive reply's XML, addressed back to the sender; `success` for none or for an invalid one. */
export function renderPassive (push: InboundPush, result: Reply | undefined, deps: Pick<AnswerDeps, 'nowSeconds' | 'log'>): string {
  if (result === undefined) return NO_REPLY
  const { message } = push
  const rendered = renderReply(result, {
    toUser: message.FromUserName,
    fromAccount: message.ToUserName,
    inboundType: message.MsgType,
    createTime: deps.nowSeconds()
  })
  if (rendered.ok) return rendered.xml
  // An invalid reply would show the fan "该公众号暂时无法提供服务"; saying nothing is kinder.
  deps.log.error({ pushType: push.type, reason: rendered.reason }, 'handler returned an invalid reply; answering success')
  return NO_REPLY
}
