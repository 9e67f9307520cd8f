import { setTimeout as sleep } from 'node:timers/promises'
import fp from 'fastify-plugin'
import type { Account } from '../src/accounts/account.js'
import { createCallbackAddresses } from '../src/wechat-api/callback-addresses.js'
import { sendRefusal } from './wechat-signature.js'

export interface CallbackIpCheckOptions {
  /** The accounts served: the list is WeChat's own, so any one account's token fetches it. */
  accounts: () => readonly Account[]
  refreshMs: number
}

/** After a failed fetch, the next attempt; well under the hourly refresh, well above WeChat's quota worries. */
const RETRY_MS = 60_000

/** How long getting ready waits for the first list (a token and a call, 3 s each at most); then it arrives in the background. */
const FIRST_FETCH_WAIT_MS = 7000

/** Asks each account in turn, so one account's API trouble (a revoked secret) does not stop the check. */
async function fetchFromAnyAccount (accounts: readonly Account[]): Promise<string[]> {
  let failure: unknown = new Error('no account to fetch the callback addresses with')
  for (const account of accounts) {
    try {
      return await account.api.management.callbackIps()
    } catch (error) {
      failure = error
    }
  }
  throw failure
}

/**
 * WECHAT_CALLBACK_IP_CHECK: a push from an address outside WeChat's callback list gets 403 at
 * onRequest, before its body is read. The list is fetched when the server gets ready and then
 * every `refreshMs`. Until a first list arrives, pushes are admitted on their signature alone
 * (logged at each failed fetch): the signature is what authenticates a push, the list narrows
 * who may try, and refusing every push because WeChat's API was unreachable at start would
 * silence the account. A failed refresh keeps the last good list.
 */
export const callbackIpCheck = fp<CallbackIpCheckOptions>(async (app, options) => {
  const addresses = createCallbackAddresses({
    fetch: async () => await fetchFromAnyAccount(options.accounts()),
    refreshMs: options.refreshMs,
    retryMs: RETRY_MS,
    onRefreshed: (accepted, skipped) => { app.log.info({ accepted, skipped }, 'WeChat callback addresses fetched') },
    onFailed: (error, keptLast) => {
      const fields = { code: (error as { code?: unknown }).code, errorType: (error as Error).name, keptLast }
      app.log.warn(fields, keptLast
        ? 'WeChat callback addresses not refreshed; the last list stays'
        : 'WeChat callback addresses unavailable; pushes are admitted on their signature alone until they are fetched')
    }
  })
  // Bounded: a hung WeChat must not hold the start past Fastify's hook timeout.
  app.addHook('onReady', async () => { await Promise.race([addresses.start(), sleep(FIRST_FETCH_WAIT_MS, undefined, { ref: false })]) })
  app.addHook('onClose', async () => { addresses.stop() })
  app.addHook('onRequest', (request, reply, done) => {
    if (addresses.allows(request.ip) === false) {
      sendRefusal(reply, 'forbidden', 'not one of WeChat\'s callback addresses')
      return
    }
    done()
  })
}, { name: 'wemp-callback-ip-check', fastify: '5.x' })
