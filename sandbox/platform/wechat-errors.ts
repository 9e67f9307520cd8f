/** WeChat's errcodes and errmsg texts as the fake returns them (errmsg gets a `rid:` suffix). */
export const ERR = {
  systemBusy: { errcode: -1, errmsg: 'system error' },
  invalidCredential: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' },
  invalidGrantType: { errcode: 40002, errmsg: 'invalid grant_type' },
  invalidOpenid: { errcode: 40003, errmsg: 'invalid openid' },
  invalidAppid: { errcode: 40013, errmsg: 'invalid appid' },
  invalidCode: { errcode: 40029, errmsg: 'invalid code' },
  invalidRefreshToken: { errcode: 40030, errmsg: 'invalid refresh_token' },
  invalidArgs: { errcode: 40097, errmsg: 'invalid args' },
  invalidAppsecret: { errcode: 40125, errmsg: 'invalid appsecret' },
  codeUsed: { errcode: 40163, errmsg: 'code been used' },
  missingAccessToken: { errcode: 41001, errmsg: 'access_token missing' },
  missingCode: { errcode: 41008, errmsg: 'missing code' },
  tokenExpired: { errcode: 42001, errmsg: 'access_token expired' },
  refreshTokenExpired: { errcode: 42002, errmsg: 'refresh_token expired' },
  codeExpired: { errcode: 42003, errmsg: 'code expired' },
  emptyContent: { errcode: 44004, errmsg: 'empty content' },
  outOfTimeLimit: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' },
  dataFormat: { errcode: 47001, errmsg: 'data format error' },
  apiUnauthorized: { errcode: 48001, errmsg: 'api unauthorized' }
} as const

export interface WeChatErrorBody {
  errcode: number
  errmsg: string
}
