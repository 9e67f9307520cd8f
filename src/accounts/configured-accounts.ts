import type { Config } from '../config.js'
import { readAccountsFile } from './accounts-file.js'
import { DEFAULT_ACCOUNT, type AccountSettings } from './account-settings.js'

type Env = Record<string, string | undefined>

/** The account that the single-account variables (WECHAT_TOKEN, WECHAT_APPID, …) describe. */
export function defaultAccount (config: Config): AccountSettings {
  return {
    id: DEFAULT_ACCOUNT,
    token: config.wechatToken,
    appId: config.appId,
    appSecret: config.appSecret,
    messageMode: config.messageMode,
    ...(config.encodingAesKey !== undefined && { encodingAesKey: config.encodingAesKey }),
    ...(config.encodingAesKeyPrevious !== undefined && { previousEncodingAesKey: config.encodingAesKeyPrevious }),
    ...(config.accountId !== undefined && { accountId: config.accountId }),
    welcomeText: config.welcomeText,
    ...(config.llm !== undefined && { llm: config.llm }),
    ...(config.lateReplyMode !== undefined && { lateReplyMode: config.lateReplyMode })
  }
}

/** Every account the configuration describes: the file's, or the one of the variables. */
export function configuredAccounts (config: Config, env: Env): AccountSettings[] {
  return config.accountsFile === undefined ? [defaultAccount(config)] : readAccountsFile(config.accountsFile, config, env)
}
