import type { Account } from '../accounts/account.js'
import type { BotLogger } from '../bot/bot.js'
import type { Metrics } from '../metrics.js'
import { openEnvelope, sealReply } from '../protocol/envelope.js'
import { toInboundPush } from '../protocol/inbound-push.js'
import { NO_REPLY } from '../protocol/reply.js'
import { checkSignedQuery, type PushQuery, type Refusal, type SignedQueryCheck } from '../protocol/signed-query.js'
import type { XmlFields } from '../protocol/xml-codec.js'
import type { LateAnswers } from '../late-answers/late-answer-lease.js'
import { answerInTime } from './answer-in-time.js'
import type { OnceOutcome } from './exactly-once.js'
import { bodyGuard } from './replay-guard.js'

/** What became of one delivery; the route maps each kind to an HTTP answer and nothing else. */
export type PushOutcome =
  | { kind: 'refused', refusal: Refusal, reason: string }
  /**
   * `xml`: the passive reply, sealed when the push was. `duplicate`: a retry answered from the
   * first delivery. `late`: the bot missed the deadline and its answer follows this reply.
   */
  | { kind: 'answered', xml: string, duplicate: boolean, late: boolean }
  | { kind: 'no-reply', duplicate: boolean, late: boolean }
  /** Another delivery is still working on it: let WeChat retry later. */
  | { kind: 'busy' }
  /** The bot failed in time: not `success`, so that WeChat's retry runs it again. */
  | { kind: 'failed' }

export interface PushPipelineOptions {
  metrics: Metrics
  /** How long the bot may take before WeChat is answered `success` and the reply goes out later. */
  replyDeadlineMs: number
  /** The signed timestamp's window; 0 turns freshness and the plain-mode replay guard off. */
  signatureMaxAgeSeconds: number
  nowSeconds?: () => number
  /** With a shared store: late answers as jobs that outlive this instance (plugins/late-answer-queue.ts). */
  lateAnswers?: LateAnswers | undefined
  /** True when the dedup store is this process's memory alone (no REDIS_URL): its claims need no lease. */
  localDedup?: boolean
}

export interface PushPipeline {
  /** Before the body is read: the signed query of a GET or POST to the account's server URL. */
  checkQuery(account: Account, query: unknown): SignedQueryCheck
  /** A push whose query passed (`seen` receives its type once it is read, for the access line): envelope, typed message, exactly-once claim, bot, reply, seal. */
  handle(account: Account, query: PushQuery, body: XmlFields, log: BotLogger, seen?: { pushType: string | undefined }): Promise<PushOutcome>
}

/** How long an answer is kept for WeChat's retries (they come within 15 s). */
const REPLY_TTL_MS = 60_000
/**
 * A claim's lease, renewed every second while the handler runs: when the instance dies, the claim
 * is gone within 3 s, before WeChat's retry (5 s later) would be told 503 for a push nobody works on.
 */
const CLAIM_TTL_MS = 3_000
/** A claim in this process's memory: it cannot outlive its holder, so it lives as long as a kept answer. */
const LOCAL_CLAIM_TTL_MS = REPLY_TTL_MS
const POLL_MS = 25

/**
 * The one path every push takes, framework-free: account → signed query → envelope (AES) →
 * typed push → exactly-once claim → bot → reply → seal → outcome. Refusals for a signature are
 * counted here and nowhere else.
 */
export function createPushPipeline (options: PushPipelineOptions): PushPipeline {
  const { metrics, replyDeadlineMs, signatureMaxAgeSeconds } = options
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000))
  // The same for every push: only the account's store is added per push.
  const onceTimings = options.localDedup === true
    ? { replyTtlMs: REPLY_TTL_MS, pollMs: POLL_MS, claimTtlMs: LOCAL_CLAIM_TTL_MS, renewClaim: false }
    : { replyTtlMs: REPLY_TTL_MS, pollMs: POLL_MS, claimTtlMs: CLAIM_TTL_MS, renewClaim: true }

  // A signature failure: a signed query that is missing, malformed, stale or wrong, or a body its signature does not cover.
  function refused (account: Account, refusal: Refusal, reason: string, signature = refusal === 'forbidden'): PushOutcome & { kind: 'refused' } {
    if (signature) metrics.signatureFailures.inc({ account: account.id })
    return { kind: 'refused', refusal, reason }
  }

  function checkQuery (account: Account, query: unknown): SignedQueryCheck {
    const check = checkSignedQuery(query, { token: account.settings.token, maxAgeSeconds: signatureMaxAgeSeconds, nowSeconds: nowSeconds() })
    if (!check.ok) refused(account, check.refusal, check.reason, true)
    return check
  }

  async function handle (account: Account, query: PushQuery, body: XmlFields, log: BotLogger, seen?: { pushType: string | undefined }): Promise<PushOutcome> {
    const { settings } = account
    const envelope = openEnvelope(body, {
      timestamp: query.timestamp, nonce: query.nonce, encryptType: query.encrypt_type, msgSignature: query.msg_signature
    }, settings.messageMode, account.secrets)
    if (!envelope.ok) return refused(account, envelope.refusal, envelope.reason)
    const result = toInboundPush(envelope.fields)
    if (!result.ok) return refused(account, 'bad-request', `invalid field: ${result.field}`)
    const { push } = result
    if (seen !== undefined) seen.pushType = push.type
    const { message } = push
    if (envelope.sealed && envelope.outerMismatch) log.warn({ pushType: push.type }, 'compatible-mode plaintext fields differ from the encrypted ones; using the encrypted')
    const misaddressed = (query.openid !== undefined && query.openid !== message.FromUserName) ||
      (settings.accountId !== undefined && settings.accountId !== message.ToUserName)
    if (misaddressed) return refused(account, 'bad-request', 'push identity mismatch')
    // Plain mode: the body its signature was first seen with, checked with the claim.
    const guard = !envelope.sealed && signatureMaxAgeSeconds > 0 ? bodyGuard(query.signature, envelope.fields, signatureMaxAgeSeconds * 2000) : undefined

    const labels = { account: account.id }
    let once: OnceOutcome | undefined
    try {
      once = await answerInTime({
        account,
        push,
        log,
        nowSeconds,
        replyDeadlineMs,
        lateAnswers: options.lateAnswers,
        once: { store: account.dedupStore, ...onceTimings, guard },
        measure: () => {
          metrics.messagesHandled.inc(labels)
          return metrics.handlerSeconds.startTimer(labels)
        }
      })
    } catch (err) {
      log.error({ err, pushType: push.type }, 'handler failed')
    }
    if (once?.status === 'guard-differs') return refused(account, 'forbidden', 'signature reused with another body')
    metrics.messagesReceived.inc({ ...labels, type: push.type })
    if (once === undefined) return { kind: 'failed' }
    if (once.status === 'busy') return { kind: 'busy' }
    const duplicate = once.status === 'duplicate'
    if (duplicate) metrics.messagesDuplicate.inc(labels)
    const late = once.status === 'answered' && once.late === true
    if (once.answer === NO_REPLY) return { kind: 'no-reply', duplicate, late }
    const xml = envelope.sealed ? sealReply(once.answer, account.secrets, envelope.keyIndex, query.nonce, nowSeconds()) : once.answer
    return { kind: 'answered', xml, duplicate, late }
  }

  return { checkQuery, handle }
}
