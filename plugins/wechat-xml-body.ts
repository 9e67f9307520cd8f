import fp from 'fastify-plugin'
import { parseWeChatXml, type XmlFields } from '../src/protocol/xml-codec.js'

export interface WeChatXmlBodyOptions {
  bodyLimit: number
}

class XmlBodyError extends Error {
  statusCode = 400
  code = 'WEMP_BAD_XML'
}

/**
 * Makes `text/xml` and `application/xml` the only bodies its scope accepts (anything else: 415),
 * parsed into the fields of the `<xml>` root. Registered inside the /wechat route plugin.
 */
export const wechatXmlBody = fp<WeChatXmlBodyOptions>(async (app, options) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: options.bodyLimit }, (_request, body, done) => {
    const parsed = parseWeChatXml(body as string)
    if (parsed.ok) done(null, parsed.fields)
    else done(new XmlBodyError(`body is not a WeChat XML document (${parsed.error})`), undefined)
  })
}, { name: 'wechat-xml-body', fastify: '5.x' })

export type { XmlFields }
