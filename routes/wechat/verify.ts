import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'

const VerifyQuery = Type.Object({ echostr: Type.String({ minLength: 1, maxLength: 256 }) })

/** The platform's server check: once the signature hook has passed, echo `echostr` exactly. */
export function verifyRoute (app: FastifyInstance, path: string): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(path, { schema: { querystring: VerifyQuery } }, async (request, reply) => {
    request.access!.outcome = 'verified'
    return reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(request.query.echostr)
  })
}
