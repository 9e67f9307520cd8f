import type { WeChatCaller, WeChatJson } from './http-call.js'
import { WeChatApiError } from './wechat-api-error.js'

/** The web-authorization token response; not the account's basic access_token. */
export interface OAuthToken {
  accessToken: string
  refreshToken: string
  expiresIn: number
  openid: string
  scope: string
  unionid?: string
  /** Snapshot-page (快照页) users have a virtual openid/unionid: never persist them as real users. */
  isSnapshotUser: boolean
}

export interface OAuthUserInfo {
  openid: string
  nickname: string
  headimgurl: string
  sex: number
  province: string
  city: string
  country: string
  unionid?: string
}

export interface OAuthClient {
  exchangeCode(code: string): Promise<OAuthToken>
  userInfo(accessToken: string, openid: string): Promise<OAuthUserInfo>
}

export const OAUTH_TOKEN_PATH = '/sns/oauth2/access_token'
export const USERINFO_PATH = '/sns/userinfo'

export function createOAuthClient (options: { appId: string, appSecret: string, call: WeChatCaller }): OAuthClient {
  const { call } = options
  return {
    async exchangeCode (code) {
      const json = await call({
        method: 'GET',
        path: OAUTH_TOKEN_PATH,
        query: { appid: options.appId, secret: options.appSecret, code, grant_type: 'authorization_code' }
      })
      const read = reader(json, OAUTH_TOKEN_PATH)
      const token: OAuthToken = {
        accessToken: read.string('access_token'),
        refreshToken: read.string('refresh_token'),
        expiresIn: read.number('expires_in'),
        openid: read.string('openid'),
        scope: read.string('scope'),
        isSnapshotUser: json.is_snapshotuser === 1
      }
      if (typeof json.unionid === 'string') token.unionid = json.unionid
      return token
    },
    async userInfo (accessToken, openid) {
      const json = await call({ method: 'GET', path: USERINFO_PATH, query: { access_token: accessToken, openid, lang: 'zh_CN' } })
      const read = reader(json, USERINFO_PATH)
      // Since 2021 WeChat sends sex 0 and empty region fields; tolerate them being absent too.
      const info: OAuthUserInfo = {
        openid: read.string('openid'),
        nickname: read.optionalString('nickname'),
        headimgurl: read.optionalString('headimgurl'),
        sex: typeof json.sex === 'number' ? json.sex : 0,
        province: read.optionalString('province'),
        city: read.optionalString('city'),
        country: read.optionalString('country')
      }
      if (typeof json.unionid === 'string') info.unionid = json.unionid
      return info
    }
  }
}

function reader (json: WeChatJson, path: string): { string(field: string): string, number(field: string): number, optionalString(field: string): string } {
  function missing (field: string): never {
    throw new WeChatApiError({ kind: 'bad-response', path, detail: `no ${field}` })
  }
  return {
    string: (field) => {
      const value = json[field]
      return typeof value === 'string' && value !== '' ? value : missing(field)
    },
    number: (field) => {
      const value = json[field]
      return typeof value === 'number' ? value : missing(field)
    },
    optionalString: (field) => {
      const value = json[field]
      return typeof value === 'string' ? value : ''
    }
  }
}
