import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify from 'fastify'
import { XMLParser } from 'fast-xml-parser'

/**
 * The ceiling for our stack: a minimal hand-written Fastify route that verifies the signature,
 * parses the XML and echoes the text, with none of wemp's checks, dedup or logging.
 */
const token = process.env.WECHAT_TOKEN ?? 'benchtoken'
const parser = new XMLParser({ processEntities: false, parseTagValue: false })
const app = Fastify({ logger: false })
app.addContentTypeParser('text/xml', { parseAs: 'string' }, (_req, body, done) => { done(null, body) })
app.post('/wechat', async (request, reply) => {
  const { signature = '', timestamp = '', nonce = '' } = request.query as Record<string, string>
  const expected = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest()
  const given = Buffer.from(signature, 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(403).send()
  const m = parser.parse(request.body as string).xml as Record<string, string>
  return reply.type('application/xml').send(`<xml><ToUserName><![CDATA[${m.FromUserName}]]></ToUserName><FromUserName><![CDATA[${m.ToUserName}]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${m.Content}]]></Content></xml>`)
})
app.get('/healthz', async () => ({ status: 'ok' }))
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
