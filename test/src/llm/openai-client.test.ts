import { test } from 'tap'
import { createOpenAiClient, DEFAULT_LLM_MAX_RETRIES } from '../../../src/llm/openai-client.js'
import { startFakeLlm } from '../../helpers/fake-llm.js'

const ENV = ['OPENAI_API_KEY', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_BASE_URL', 'OPENAI_LOG'] as const

/** The process environment of another deployment: none of it may reach this account's endpoint. */
function foreignEnvironment (t: { teardown(fn: () => unknown): void }): void {
  const saved = ENV.map((name) => [name, process.env[name]] as const)
  t.teardown(() => { for (const [name, value] of saved) if (value === undefined) delete process.env[name]; else process.env[name] = value })
  Object.assign(process.env, { OPENAI_API_KEY: 'sk-foreign-key', OPENAI_ORG_ID: 'org-foreign', OPENAI_PROJECT_ID: 'proj-foreign', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_LOG: 'debug' })
}

async function ask (client: ReturnType<typeof createOpenAiClient>): Promise<string | null | undefined> {
  const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
  return completion.choices[0]?.message.content
}

test('the account\'s key and base URL only: no organisation, project or key from the environment', async (t) => {
  foreignEnvironment(t)
  const fake = await startFakeLlm()
  t.teardown(() => fake.close())
  const withKey = createOpenAiClient({ baseUrl: fake.baseUrl, apiKey: 'sk-account', model: 'm', timeoutMs: 5000, maxTurns: 0 })
  t.equal(withKey.maxRetries, DEFAULT_LLM_MAX_RETRIES)
  t.equal(withKey.timeout, 5000)
  t.equal(await ask(withKey), '好的。')
  const sent = fake.requests[0]?.headers ?? {}
  t.equal(sent.authorization, 'Bearer sk-account')
  t.notOk('openai-organization' in sent)
  t.notOk('openai-project' in sent)

  const withoutKey = createOpenAiClient({ baseUrl: fake.baseUrl, model: 'm', timeoutMs: 5000, maxTurns: 0 }, 0)
  t.equal(withoutKey.maxRetries, 0)
  t.equal(await ask(withoutKey), '好的。')
  t.notOk('authorization' in (fake.requests[1]?.headers ?? {}), 'no key: no Authorization header, not the environment\'s key')
})

test('the client prints nothing of its own, even with OPENAI_LOG=debug', async (t) => {
  foreignEnvironment(t)
  const fake = await startFakeLlm()
  t.teardown(() => fake.close())
  const client = createOpenAiClient({ baseUrl: fake.baseUrl, apiKey: 'sk-account', model: 'm', timeoutMs: 5000, maxTurns: 0 })
  // The package binds console's methods once per process, so the streams underneath are watched.
  const printed: string[] = []
  const streams = [process.stdout, process.stderr]
  const originals = streams.map((stream) => stream.write.bind(stream))
  for (const stream of streams) stream.write = ((chunk: string | Uint8Array) => { printed.push(String(chunk)); return true }) as typeof stream.write
  try {
    await ask(client)
  } finally {
    streams.forEach((stream, i) => { stream.write = originals[i] as typeof stream.write })
  }
  t.same(printed, [])
})
