import fp from 'fastify-plugin'
import type { Config } from '../src/config.js'
import { createWeChatApi, type WeChatApi } from '../src/wechat-api/wechat-api.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The WeChat API client: cluster-wide access_token and jsapi_ticket, OAuth, customer-service messages. */
    wechatApi: WeChatApi
  }
}

export interface WeChatApiPluginOptions {
  config: Config
}

/** Needs the store and metrics plugins registered first. */
export const wechatApiPlugin = fp<WeChatApiPluginOptions>(async (app, { config }) => {
  app.decorate('wechatApi', createWeChatApi({
    appId: config.appId,
    appSecret: config.appSecret,
    apiBase: config.apiBase,
    store: app.store,
    tokenApi: config.tokenApi,
    events: {
      tokenFetched: () => app.metrics.accessTokenFetches.inc(),
      apiError: (errcode) => app.metrics.wechatApiErrors.inc({ errcode: String(errcode) })
    }
  }))
}, { name: 'wemp-wechat-api', fastify: '5.x', dependencies: ['wemp-store', 'wemp-metrics'] })
