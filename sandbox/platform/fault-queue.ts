/** A fault to inject on the next request to one path (query ignored). */
export type Fault =
  | { errcode: number, errmsg: string }
  | { html: string }
  | { body: string, contentType?: string }
  /** The body with no headers but its length, as a bare server might answer. */
  | { bare: string }
  | { delayMs: number }
  | { truncate: true }

export interface FaultQueue {
  failNext(path: string, fault: Fault): void
  take(path: string): Fault | undefined
  pending(path: string): number
}

export function createFaultQueue (): FaultQueue {
  const queues = new Map<string, Fault[]>()
  return {
    failNext (path, fault) {
      const queue = queues.get(path) ?? []
      queue.push(fault)
      queues.set(path, queue)
    },
    take (path) {
      return queues.get(path)?.shift()
    },
    pending (path) {
      return queues.get(path)?.length ?? 0
    }
  }
}
