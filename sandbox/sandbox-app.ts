import formbody from '@fastify/formbody'
import view from '@fastify/view'
import { Eta } from 'eta'
import type { FastifyInstance } from 'fastify'
import { parseEncodingAesKey } from '../src/protocol/aes-key.js'
import { SANDBOX_ASSETS } from './asset-dir.js'
import { registerAuthorizeRoutes } from './authorize-routes.js'
import type { ConsoleAccount } from './console-options.js'
import { registerConsoleRoutes } from './console-routes.js'
import { createFollowState } from './follow-state.js'
import { createJssdkLocations } from './jssdk-location.js'
import { registerJssdkRoutes } from './jssdk-routes.js'
import type { FanInput } from './platform/fans.js'
import { createPlatformApi } from './platform/platform-api.js'
import type { PlatformState } from './platform/platform-state.js'
import type { MessageMode } from './push-envelope.js'
import type { SandboxSession } from './sandbox-state.js'

/** One account the sandbox plays: what WeChat and the server share for it. */
export interface SandboxAccountOptions {
  /** The account's id on the server (its push URL is /wechat/<id>). */
  id: string
  name?: string
  token: string
  appId: string
  appSecret: string
  encodingAesKey?: string
  mode: MessageMode
  /** The WeChat server under test, e.g. http://127.0.0.1:3000/wechat. */
  serverUrl: string
  /** The account's original id (gh_…) the pushes are addressed to. */
  accountId?: string
}

/** The first account (its id `default` unless given) and the sandbox's own settings. */
export interface SandboxOptions extends Omit<SandboxAccountOptions, 'id' | 'name'> {
  id?: string
  accountName?: string
  /** More accounts, each with its own AppID, secrets, mode and push URL. */
  accounts?: SandboxAccountOptions[]
  /** The 网页授权域名 list; any host when absent. */
  redirectDomains?: string[]
  fans?: FanInput[]
  /** WeChat's 5 s and 3 retries unless a test shortens them. */
  timeoutMs?: number
  retries?: number
  logger?: boolean
}

export interface Sandbox {
  app: FastifyInstance
  state: PlatformState
  session: SandboxSession
}

export interface RunningSandbox {
  url: string
  state: PlatformState
  session: SandboxSession
  close(): Promise<void>
}

export const DEFAULT_ACCOUNT_ID = 'gh_wempsandbox0'
export const DEFAULT_ACCOUNT_NAME = 'wemp 测试号'

/**
 * One Fastify instance playing WeChat: the platform API (api.weixin.qq.com), the authorize
 * page (open.weixin.qq.com), the JS-SDK (res.wx.qq.com, and what its native side checks) and
 * the chat console. Our routes live in a child context so their body parsers leave the
 * platform's "every body is JSON text" parser untouched.
 */
export function createSandbox (options: SandboxOptions): Sandbox {
  const others = options.accounts ?? []
  const platform = createPlatformApi({
    appId: options.appId,
    appSecret: options.appSecret,
    apps: others.map(({ appId, appSecret }) => ({ appId, appSecret })),
    ...(options.fans === undefined ? {} : { fans: options.fans }),
    logger: options.logger ?? false
  })
  const { app, state } = platform
  const first = state.fans.keys().next().value
  if (first === undefined) throw new TypeError('the sandbox needs at least one fan')
  const session: SandboxSession = { currentOpenid: first, jssdkLocations: createJssdkLocations(), follows: createFollowState() }
  const accounts: ConsoleAccount[] = [
    { ...options, id: options.id ?? 'default', name: options.accountName ?? DEFAULT_ACCOUNT_NAME },
    ...others.map((other) => ({ ...other, name: other.name ?? `${DEFAULT_ACCOUNT_NAME} ${other.id}` }))
  ].map((account) => ({
    id: account.id,
    name: account.name,
    mode: account.mode,
    serverUrl: account.serverUrl,
    accountId: account.accountId ?? DEFAULT_ACCOUNT_ID,
    secrets: {
      token: account.token,
      appId: account.appId,
      ...(account.encodingAesKey === undefined ? {} : { aesKey: parseEncodingAesKey(account.encodingAesKey) })
    }
  }))

  app.register(async (child) => {
    child.addContentTypeParser('application/json', { parseAs: 'string' }, child.getDefaultJsonParser('error', 'error'))
    await child.register(formbody)
    await child.register(view, { engine: { eta: new Eta() }, root: `${SANDBOX_ASSETS}/views` })
    registerConsoleRoutes(child, {
      state, session, accounts,
      assets: SANDBOX_ASSETS,
      timeoutMs: options.timeoutMs,
      retries: options.retries
    })
    registerJssdkRoutes(child, {
      state, session,
      assets: SANDBOX_ASSETS,
      ...(options.redirectDomains === undefined ? {} : { domains: options.redirectDomains })
    })
    registerAuthorizeRoutes(child, {
      state, session,
      rules: {
        accounts: new Map(accounts.map((account) => [account.secrets.appId, account.name])),
        ...(options.redirectDomains === undefined ? {} : { redirectDomains: options.redirectDomains })
      }
    })
  })
  return { app, state, session }
}

export async function startSandbox (options: SandboxOptions & { host?: string, port?: number }): Promise<RunningSandbox> {
  const { app, state, session } = createSandbox(options)
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 })
  return { url, state, session, close: async () => { await app.close() } }
}
