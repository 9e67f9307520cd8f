import { createApiLimits } from './api-limits.js'
import type { ApiLimits } from './api-limits.js'
import { createCredentialRegistry } from './credential-registry.js'
import type { CredentialRegistry } from './credential-registry.js'
import { createFaultQueue } from './fault-queue.js'
import type { Fault, FaultQueue } from './fault-queue.js'
import { avatarUrl, defaultFans } from './fans.js'
import type { Fan, FanInput } from './fans.js'
import { createFollowerDirectory } from './follower-directory.js'
import type { FollowerDirectory } from './follower-directory.js'
import { createMassRegistry } from './mass-registry.js'
import type { MassRegistry } from './mass-registry.js'
import { createMediaStore } from './media-store.js'
import type { MediaStore } from './media-store.js'
import { createMenuRegistry } from './menu-registry.js'
import type { MenuRegistry } from './menu-registry.js'
import { createOAuthRegistry } from './oauth-registry.js'
import type { CodeGrant, OAuthRegistry } from './oauth-registry.js'
import type { Clock } from './platform-clock.js'
import { createQrCodeRegistry } from './qrcode-registry.js'
import type { QrCodeRegistry } from './qrcode-registry.js'
import { createRequestLog } from './request-log.js'
import type { RequestLog } from './request-log.js'
import { createShortKeyRegistry } from './short-key-registry.js'
import type { ShortKeyRegistry } from './short-key-registry.js'
import { createTagRegistry } from './tag-registry.js'
import type { TagRegistry } from './tag-registry.js'
import { createTemplateRegistry } from './template-registry.js'
import type { TemplateRegistry } from './template-registry.js'

export interface RecordedMessage {
  /** The account that sent it (the AppID its access_token was issued to). */
  appId: string
  touser: string
  msgtype: string
  /** text.content for text messages. */
  content?: string
  /** The request body as WeChat received it. */
  body: Record<string, unknown>
  at: number
}

export interface PlatformApp {
  appId: string
  appSecret: string
}

export interface PlatformStateOptions {
  appId: string
  appSecret: string
  /** More Official Accounts on the same platform, each with its own tokens. */
  apps?: PlatformApp[]
  fans?: FanInput[]
  now?: Clock
}

/** Everything the fake platform knows; tests and the sandbox console read and steer it. */
export interface PlatformState {
  readonly appId: string
  readonly appSecret: string
  /** Every account's AppSecret, by AppID (the first is appId's). */
  readonly apps: ReadonlyMap<string, string>
  readonly now: Clock
  readonly fans: Map<string, Fan>
  readonly messages: RecordedMessage[]
  readonly credentials: CredentialRegistry
  readonly oauth: OAuthRegistry
  readonly faults: FaultQueue
  /** Every API request as it arrived (the latest thousand), for byte-exact checks. */
  readonly requests: RequestLog
  /** Per-API permission (48001) and daily quota (45009). */
  readonly limits: ApiLimits
  /** The first account's menus; `menusOf` gives every account's. */
  readonly menus: MenuRegistry
  /** An account's own menus, by AppID: menu/create with one account's token leaves the others' alone. */
  menusOf(appId: string): MenuRegistry
  /** QR codes by ticket, with their scenes. */
  readonly qrcodes: QrCodeRegistry
  /** Private templates, template messages and subscription notices sent. */
  readonly templates: TemplateRegistry
  readonly media: MediaStore
  /** Remarks, tags, blacklist and subscribe details of each fan. */
  readonly followers: FollowerDirectory
  readonly tags: TagRegistry
  readonly massSends: MassRegistry
  readonly shortKeys: ShortKeyRegistry
  /** Fans currently shown "typing…" by message/custom/typing. */
  readonly typing: Set<string>
  /** AppIDs of accounts without customer-service rights: message/custom/send answers them 48001. */
  readonly withoutCustomerService: Set<string>
  /** What getcallbackip lists (addresses or CIDR ranges): loopback unless a test changes it. */
  readonly callbackIps: string[]
  addFan(fan: FanInput): Fan
  /** Puts a follower outside (or back inside) the 48-hour customer-service window. */
  setOutsideWindow(openid: string, outside: boolean): void
  /** A web-authorization code, as the authorize page would hand to the redirect_uri. */
  issueCode(grant: CodeGrant): string
  /** Queues a fault for the next request to `path` (e.g. '/cgi-bin/stable_token'). */
  failNext(path: string, fault: Fault): void
  /** Makes an access_token (basic or web) or ticket expire now; false when unknown. */
  expireToken(token: string): boolean
  /** Requests received per path, faulted ones included. */
  callCount(path: string): number
  countCall(path: string): void
}

export function createPlatformState (options: PlatformStateOptions): PlatformState {
  const now = options.now ?? Date.now
  const fans = new Map<string, Fan>()
  const calls = new Map<string, number>()
  const credentials = createCredentialRegistry(now)
  const oauth = createOAuthRegistry(now)
  const faults = createFaultQueue()
  const menus = new Map<string, MenuRegistry>()
  const menusOf = (appId: string): MenuRegistry => {
    let registry = menus.get(appId)
    if (registry === undefined) {
      registry = createMenuRegistry()
      menus.set(appId, registry)
    }
    return registry
  }

  function addFan (input: FanInput): Fan {
    const fan: Fan = { ...input, headimgurl: input.headimgurl ?? avatarUrl(input.openid), outsideWindow: input.outsideWindow ?? false }
    fans.set(fan.openid, fan)
    return fan
  }
  for (const fan of options.fans ?? defaultFans()) addFan(fan)

  return {
    appId: options.appId,
    appSecret: options.appSecret,
    apps: new Map([options, ...(options.apps ?? [])].map((app) => [app.appId, app.appSecret])),
    now,
    fans,
    messages: [],
    credentials,
    oauth,
    faults,
    requests: createRequestLog(),
    limits: createApiLimits(now),
    menus: menusOf(options.appId),
    menusOf,
    qrcodes: createQrCodeRegistry(now),
    templates: createTemplateRegistry(),
    media: createMediaStore(now),
    followers: createFollowerDirectory(now),
    tags: createTagRegistry(),
    massSends: createMassRegistry(),
    shortKeys: createShortKeyRegistry(now),
    typing: new Set(),
    withoutCustomerService: new Set(),
    callbackIps: ['127.0.0.1', '::1'],
    addFan,
    setOutsideWindow (openid, outside) {
      const fan = fans.get(openid)
      if (fan === undefined) throw new Error(`no fan ${openid}`)
      fan.outsideWindow = outside
    },
    issueCode: (grant) => oauth.issueCode(grant),
    failNext: (path, fault) => { faults.failNext(path, fault) },
    expireToken: (token) => credentials.expire(token) || oauth.expire(token),
    callCount: (path) => calls.get(path) ?? 0,
    countCall (path) {
      calls.set(path, (calls.get(path) ?? 0) + 1)
    }
  }
}
