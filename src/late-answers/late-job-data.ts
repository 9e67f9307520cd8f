import { createHash } from 'node:crypto'
import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'

/**
 * What a late answer's job carries, so that any instance can finish it. It holds the push's
 * fields (the fan's openid and words) and the answer: it lives in Redis only and is never logged.
 */
export const LateJobDataSchema = Type.Object({
  /** The account's id in the registry (an instance without it cannot serve the push). */
  accountId: Type.String({ minLength: 1 }),
  /** The push's XML fields, as toInboundPush takes them. */
  message: Type.Record(Type.String(), Type.Unknown()),
  /** The answer's texts, once some instance computed them; absent: the owner died first. */
  texts: Type.Optional(Type.Array(Type.String())),
  /** How many of `texts` reached the fan: a retry sends from there, not again from the first. */
  delivered: Type.Integer({ minimum: 0 })
})

export type LateJobData = Static<typeof LateJobDataSchema>

export const lateJobDataCheck = TypeCompiler.Compile(LateJobDataSchema)

/** The queue's name under the BullMQ prefix (REDIS_KEY_PREFIX + "jobs"). */
export const LATE_ANSWER_QUEUE = 'late-answers'
export const LATE_ANSWER_JOB = 'late-answer'

/**
 * One job per push of an account: a second add of the same push is a no-op while the first is
 * kept. Hashed, so that the id (which logs and BullMQ's keys carry) holds no openid.
 */
export function lateJobId (appId: string, identity: string): string {
  return `la-${createHash('sha256').update(`${appId}\n${identity}`).digest('hex').slice(0, 32)}`
}
