import { test } from 'tap'
import { apologyFor, ChatFailure, type ChatFailureKind } from '../../../src/llm/chat-failure.js'

test('every failure has a short apology of its own kind; none is empty', async (t) => {
  const kinds: ChatFailureKind[] = ['timeout', 'connection', 'http', 'refusal', 'empty', 'bad-response']
  for (const kind of kinds) {
    const text = apologyFor(kind)
    t.match(text, /^抱歉，/, kind)
    t.ok(text.length <= 30, `${kind}: short`)
  }
  t.not(apologyFor('timeout'), apologyFor('refusal'), 'a refusal does not say "try again later"')
})

test('a failure names its kind and status, and nothing else', async (t) => {
  t.match(new ChatFailure('http', 503), { name: 'ChatFailure', kind: 'http', status: 503, message: 'chat failed: http 503' })
  t.match(new ChatFailure('timeout'), { kind: 'timeout', status: undefined, message: 'chat failed: timeout' })
})
