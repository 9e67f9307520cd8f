import type { FastifyError } from 'fastify'
import fp from 'fastify-plugin'
import { accessDetails } from './access-log.js'

/**
 * The service's answers for errors and unknown routes: plain text, no stack traces, no upstream
 * bodies, and never the query string (Fastify's default 404 repeats the full URL, which on
 * /wechat carries signatures and openids, in the body and the log).
 */
export const errorHandlers = fp(async (app) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500
    if (statusCode >= 500) {
      // Not the error object itself: a store error can carry its command's arguments (keys, sessions).
      request.log.error({ err: { type: error.name, code: error.code, message: error.message, stack: error.stack } }, 'request failed')
      return reply.code(statusCode).type('text/plain; charset=utf-8').send('internal error')
    }
    // The access line says it: the status and Fastify's or our message (never the input itself).
    const access = request.access ?? accessDetails()
    access.reason = error.message
    request.access = access
    return reply.code(statusCode).type('text/plain; charset=utf-8').send(error.message)
  })
  // The access line has the method, the path and the 404.
  app.setNotFoundHandler((_request, reply) => {
    return reply.code(404).type('text/plain; charset=utf-8').send('not found')
  })
}, { name: 'wemp-error-handlers', fastify: '5.x', dependencies: ['wemp-access-log'] })
