import type { PageScripts } from './page-security.js'

/** How a page loads WeChat's JS-SDK under this server's settings. */
export interface JssdkScript {
  /** WECHAT_JSSDK_URL. */
  url: string
  origin: string
  /**
   * The sandbox's stand-in: it is served by the origin that also answers the WeChat API, which
   * WeChat itself never does (res.wx.qq.com beside api.weixin.qq.com).
   */
  standIn: boolean
}

export function jssdkScript (settings: { jssdkUrl: string, apiBase: string }): JssdkScript {
  const origin = new URL(settings.jssdkUrl).origin
  return { url: settings.jssdkUrl, origin, standIn: origin === new URL(settings.apiBase).origin }
}

/** WeChat's in-app browser says so in its user agent, on every platform (…MicroMessenger/8.0.x…). */
export function isWeChatBrowser (userAgent: string | undefined): boolean {
  return userAgent !== undefined && userAgent.includes('MicroMessenger')
}

/**
 * Whether the page loads the JS-SDK for this browser. The real SDK works only inside WeChat: in
 * another browser it has no native side to answer wx.config, and the page would wait on it
 * instead of using the browser's Geolocation API. The sandbox's stand-in answers over HTTP in any
 * browser, so in development every browser plays the phone.
 */
export function loadsJssdk (script: JssdkScript, userAgent: string | undefined): boolean {
  return script.standIn || isWeChatBrowser(userAgent)
}

/**
 * The profile page's scripts: ours (nonce'd, same origin) and, when loaded, the JS-SDK, whose
 * origin is named too. The stand-in calls the sandbox from the page (the real SDK calls nothing:
 * it talks to WeChat's native side), so only then is the sandbox a connect-src.
 */
export function profilePageScripts (script: JssdkScript, withJssdk: boolean): PageScripts {
  if (!withJssdk) return { scriptOrigins: [], connectOrigins: [] }
  return { scriptOrigins: [script.origin], connectOrigins: script.standIn ? [script.origin] : [] }
}
