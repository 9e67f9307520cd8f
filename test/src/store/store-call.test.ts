import { test } from 'tap'
import { storeCall, StoreUnavailableError } from '../../../src/store/store-call.js'

test('a successful call passes its value through', async (t) => {
  t.equal(await storeCall('x', async () => 42), 42)
})

test('failures: 503, a reason of our choosing, nothing of the original', async (t) => {
  const cases: Array<[unknown, string]> = [
    [Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6379'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    [Object.assign(new Error('x'), { name: 'ReplyError', command: { args: ['oauth-state:SECRET'] } }), 'ReplyError'],
    [Object.assign(new Error('x'), { code: 'lower case SECRET' }), 'Error'],
    [Object.assign(new Error('x'), { name: 'Name With SECRET spaces' }), 'error'],
    ['a string SECRET', 'error'],
    [null, 'error']
  ]
  for (const [thrown, reason] of cases) {
    const error = await storeCall('state take', async () => { throw thrown }).catch((e: unknown) => e)
    t.ok(error instanceof StoreUnavailableError)
    t.equal((error as StoreUnavailableError).statusCode, 503)
    t.equal((error as Error).name, 'StoreUnavailableError')
    t.equal((error as Error).message, `shared store unavailable (state take: ${reason})`)
    t.notMatch(JSON.stringify(error), /SECRET|10\.0\.0\.1/)
  }
})
