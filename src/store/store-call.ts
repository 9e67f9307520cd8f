/**
 * A shared-store failure as the web pages pass it on: HTTP 503, and nothing of the failed
 * command. ioredis attaches `command.args` to some errors — here that is `sess:<id>` or
 * `oauth-state:<state>` and the session's JSON — and the error handler logs `err` whole.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
  readonly statusCode = 503

  constructor (operation: string, cause: unknown) {
    super(`shared store unavailable (${operation}: ${reasonOf(cause)})`)
  }
}

/** Runs a store call; any failure becomes a StoreUnavailableError. */
export async function storeCall<T> (operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw new StoreUnavailableError(operation, error)
  }
}

// A code such as ECONNREFUSED or the error's class name: words of our choosing, never its text or properties.
function reasonOf (error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code)) return code
  const name = (error as { name?: unknown } | null)?.name
  return typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name) ? name : 'error'
}
