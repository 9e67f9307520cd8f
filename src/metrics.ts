import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** The service's Prometheus metrics, on a registry of its own (tests build many apps); `account` is the account's id. */
export function createMetrics () {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'wemp_' })
  const registers = [registry]
  return {
    registry,
    messagesReceived: new Counter({ name: 'wemp_messages_received_total', help: 'Pushes received, by message or event type', labelNames: ['account', 'type'], registers }),
    messagesHandled: new Counter({ name: 'wemp_messages_handled_total', help: 'Handler executions', labelNames: ['account'], registers }),
    messagesDuplicate: new Counter({ name: 'wemp_messages_duplicate_total', help: 'Retries answered without running the handler again', labelNames: ['account'], registers }),
    signatureFailures: new Counter({ name: 'wemp_signature_failures_total', help: 'Requests to the server URL refused for their signature', labelNames: ['account'], registers }),
    accessTokenFetches: new Counter({ name: 'wemp_access_token_fetches_total', help: 'access_token fetches from WeChat', labelNames: ['account'], registers }),
    wechatApiErrors: new Counter({ name: 'wemp_wechat_api_errors_total', help: 'WeChat API errors, by errcode', labelNames: ['account', 'errcode'], registers }),
    lateAnswersDeadLettered: new Counter({ name: 'wemp_late_answers_dead_lettered_total', help: 'Late answers given up after their retries or on a permanent refusal (REDIS_URL set)', labelNames: ['account'], registers }),
    storeFallbacks: new Counter({ name: 'wemp_store_fallbacks_total', help: 'Store operations that fell back to local memory because the shared store failed', registers }),
    handlerSeconds: new Histogram({
      name: 'wemp_handler_duration_seconds',
      help: 'Handler latency',
      labelNames: ['account'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 4.5, 10],
      registers
    })
  }
}

export type Metrics = ReturnType<typeof createMetrics>

/** An account's series start at 0, so that rate() and alerts see them before the first push. */
export function initAccountMetrics (metrics: Metrics, account: string): void {
  for (const counter of [metrics.messagesHandled, metrics.messagesDuplicate, metrics.signatureFailures, metrics.accessTokenFetches]) counter.inc({ account }, 0)
  metrics.lateAnswersDeadLettered.inc({ account }, 0)
}
