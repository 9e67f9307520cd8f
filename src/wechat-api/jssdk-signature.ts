import { createHash } from 'node:crypto'

export interface JssdkSignatureInput {
  jsapiTicket: string
  nonceStr: string
  timestamp: number | string
  /** The page URL as the browser has it; any `#fragment` is dropped here. */
  url: string
}

/**
 * The `signature` for `wx.config`: the four fields under their lowercase names in ASCII order,
 * `key=value` joined by `&` with no URL escaping, SHA-1, lowercase hex. `wx.config` must be
 * given the same nonceStr and timestamp.
 */
export function jssdkSignature (input: JssdkSignatureInput): string {
  const hash = input.url.indexOf('#')
  const url = hash === -1 ? input.url : input.url.slice(0, hash)
  // Listed in ASCII order of the names, which is the order the string is signed in.
  const fields: Array<[string, string]> = [
    ['jsapi_ticket', input.jsapiTicket],
    ['noncestr', input.nonceStr],
    ['timestamp', String(input.timestamp)],
    ['url', url]
  ]
  const joined = fields.map(([name, value]) => `${name}=${value}`).join('&')
  return createHash('sha1').update(joined, 'utf8').digest('hex')
}
