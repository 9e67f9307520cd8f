// An account with a language model, end to end: the real app on a real port, the sandbox's fake
// WeChat platform (customer-service messages, 48001) and its exchange (signed pushes, WeChat's
// timeout and retries) in front, a fake OpenAI-compatible model on 127.0.0.1 behind.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import type { Account } from '../../../src/accounts/account.js'
import type { LateReplyMode } from '../../../src/accounts/account-settings.js'
import type { Config } from '../../../src/config.js'
import type { LlmSettings } from '../../../src/llm/llm-settings.js'
import { runExchange, type Exchange } from '../../../sandbox/exchange.js'
import type { RunningPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { startPlatform } from '../../fixtures/platform-fixture.js'
import { build } from '../../helpers/build.js'
import { lastMessage, startFakeLlm, type FakeLlm, type FakeModel } from '../../helpers/fake-llm.js'
import { ACCOUNT_ID, SHARED } from '../../sandbox/wemp-server.js'

export const API_KEY = 'sk-live-7c6b5a4f3e2d1c0b9a88'
export const SYSTEM_PROMPT = '你是“晴天花店”的小晴，暗号是蓝色风信子。'
export const SEND_PATH = '/cgi-bin/message/custom/send'

/**
 * WeChat's timing at a quarter: 5 s a delivery → 1.25 s; REPLY_DEADLINE_MS 4.5 s → 0.95 s, which
 * leaves 0.3 s (a busy machine's worth) for the reply to arrive before WeChat's timeout.
 */
export const SCALED = { timeoutMs: 1250, retries: 2, replyDeadlineMs: 950 } as const

/** Answers `答：<text>`, after as many milliseconds as the text's last number says (none: at once). */
export const timedModel: FakeModel = (request) => {
  const text = String(lastMessage(request).content)
  const delayMs = Number(/(\d+)\s*$/.exec(text)?.[1] ?? 0)
  const answer = { text: `答：${text}` }
  return delayMs > 0 ? { delayMs, then: answer } : answer
}

/** Requests the model got for this text (as the fan's last message). */
export const callsFor = (llm: FakeLlm, text: string): number =>
  llm.requests.filter((request) => lastMessage(request).content === text).length

export interface ModelAccountOptions {
  lateReplyMode?: LateReplyMode
  /** false: message/custom/send answers 48001, as for an account without the rights. */
  customerService?: boolean
  config?: Partial<Config>
  llm?: Partial<LlmSettings>
  model?: FakeModel
  logLines?: string[]
  /** One push before the test's (default true); an instance that pushes reads the late-reply mode then. */
  warmUp?: boolean
  /** Share the model and the platform with another instance. */
  shared?: { llm: FakeLlm, platform: RunningPlatformApi }
}

export interface ModelAccount {
  app: FastifyInstance
  /** The account's server URL (/wechat). */
  url: string
  platform: RunningPlatformApi
  llm: FakeLlm
  account(): Account
}

export async function modelAccount (t: { teardown(fn: () => unknown): void }, options: ModelAccountOptions = {}): Promise<ModelAccount> {
  const platform = options.shared?.platform ?? await startPlatform(t, { appId: SHARED.appId, appSecret: SHARED.appSecret })
  if (options.customerService === false) platform.state.withoutCustomerService.add(SHARED.appId)
  let llm = options.shared?.llm
  if (llm === undefined) {
    const started = await startFakeLlm(options.model ?? timedModel)
    t.teardown(() => started.close())
    llm = started
  }
  const app = await build(t, {
    config: {
      apiBase: platform.url,
      accountId: ACCOUNT_ID,
      replyDeadlineMs: SCALED.replyDeadlineMs,
      llm: { baseUrl: llm.baseUrl, apiKey: API_KEY, model: 'fake-model', systemPrompt: SYSTEM_PROMPT, timeoutMs: 60_000, maxTurns: 10, ...options.llm },
      ...(options.lateReplyMode !== undefined && { lateReplyMode: options.lateReplyMode }),
      ...options.config
    },
    ...(options.logLines !== undefined && { logLines: options.logLines })
  })
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `${base}/wechat`
  // One push first (an image: the echo, not the model), so that no first-time cost lands in a timed case.
  if (options.warmUp !== false) await runExchange({ serverUrl: url, mode: 'plain', secrets: { token: SHARED.token, appId: SHARED.appId }, accountId: ACCOUNT_ID, openid: 'oSandboxFan00000000000000002', action: { kind: 'image' } })
  return { app, url, platform, llm, account: () => app.wemp.accounts.get('default') as Account }
}

let fans = 0

/** A new follower on the platform, inside the 48-hour window. */
export function newFan (platform: RunningPlatformApi): string {
  return platform.state.addFan({ openid: `oModelFan${String(++fans).padStart(19, '0')}`, nickname: `粉丝${fans}` }).openid
}

/** The fan sends a text, and WeChat (the sandbox) delivers it with its timeout and retries. */
export async function say (serverUrl: string, openid: string, content: string, timing: { timeoutMs?: number, retries?: number } = SCALED): Promise<Exchange> {
  return await runExchange({
    serverUrl, mode: 'plain', secrets: { token: SHARED.token, appId: SHARED.appId }, accountId: ACCOUNT_ID, openid, action: { kind: 'text', content }, ...timing
  })
}

/** What the fan sees in the chat as the reply: the text, `silent`, or the kind of failure. */
export function seen (exchange: Exchange): string {
  const { result } = exchange
  if (result.kind === 'reply') return result.reply.type === 'text' ? result.reply.content : result.reply.type
  return result.kind
}

/** The delivery that got an answer (1-based), or 0. */
export const answeredBy = (exchange: Exchange): number => exchange.attempts.find((a) => a.result === 'answered')?.number ?? 0

/** Polls until `probe` gives a value, for what arrives after the reply. */
export async function until<T> (what: string, probe: () => T | undefined | Promise<T | undefined>, withinMs = 15_000): Promise<T> {
  const deadline = Date.now() + withinMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** The customer-service texts the platform received for a fan, in order. */
export const customTexts = (platform: RunningPlatformApi, openid: string): string[] =>
  platform.state.messages.filter((m) => m.touser === openid).map((m) => m.content ?? m.msgtype)

/** Pino lines at error level (50) or above. */
export const errorLines = (lines: readonly string[]): string[] => lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)
