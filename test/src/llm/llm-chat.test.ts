import { test } from 'tap'
import { ChatFailure } from '../../../src/llm/chat-failure.js'
import type { ChatTool } from '../../../src/llm/chat-tool.js'
import {
  createLlmChat, MAX_TOOL_CALLS_PER_ROUND, MAX_TOOL_ROUNDS, TOO_MANY_CALLS_TEXT, TOOL_FAILED_TEXT, TOOLS_RETRY_AFTER_MS, UNKNOWN_TOOL_TEXT,
  type LlmChatOptions
} from '../../../src/llm/llm-chat.js'
import type { LlmSettings } from '../../../src/llm/llm-settings.js'
import { refusedBaseUrl } from '../weather/fake-open-meteo.js'
import { recordingLogger } from '../../helpers/bot-context.js'
import { lastMessage, script, startFakeLlm, toolUser, USAGE, withoutTools, type FakeLlm, type FakeModel } from '../../helpers/fake-llm.js'

const KEY = 'sk-test-0123456789abcdef'
const MESSAGES = [{ role: 'system' as const, content: '你是助手。' }, { role: 'user' as const, content: '你好' }]

/** A tool of the test's own: says what it was called with, and keeps a record. */
function echoTool (name = 'lookup'): ChatTool & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    definition: { type: 'function', function: { name, description: 'looks things up', parameters: { type: 'object', properties: { q: { type: 'string' } } } } },
    async run (args) { calls.push(args); return `结果：${args}` }
  }
}

async function setup (t: { teardown(fn: () => unknown): void }, model?: FakeModel, options: Omit<Partial<LlmChatOptions>, 'settings'> & { settings?: Partial<LlmSettings> } = {}) {
  const fake = await startFakeLlm(model)
  t.teardown(() => fake.close())
  const settings: LlmSettings = { baseUrl: fake.baseUrl, apiKey: KEY, model: 'fake-model', timeoutMs: 60_000, maxTurns: 10, ...options.settings }
  const chat = createLlmChat({ ...options, settings })
  const log = recordingLogger()
  return { fake, chat, log }
}

async function failureOf (work: Promise<unknown>): Promise<ChatFailure> {
  try {
    await work
  } catch (error) {
    if (error instanceof ChatFailure) return error
    throw error
  }
  throw new Error('expected a ChatFailure')
}

test('a plain answer: the model, the messages and the key reach the endpoint; tokens are counted', async (t) => {
  const { fake, chat, log } = await setup(t, script({ text: '  你好！有什么可以帮你？ ' }))
  const answer = await chat.answer({ messages: MESSAGES, tools: [], log })
  t.same(answer, { text: '你好！有什么可以帮你？', requests: 1, toolCalls: 0, promptTokens: USAGE.prompt_tokens, completionTokens: USAGE.completion_tokens, finishReason: 'stop' })
  const [request] = fake.requests
  t.equal(request?.headers.authorization, `Bearer ${KEY}`)
  t.same(request?.body.messages, MESSAGES)
  t.equal(request?.body.model, 'fake-model')
  t.notOk('tools' in (request?.body ?? {}), 'no tools offered when there are none')
  t.same(log.calls, [])
})

test('a tool call round-trips: the call runs, its result goes back with the call id, the model answers', async (t) => {
  const tool = echoTool()
  const { fake, chat, log } = await setup(t, toolUser('lookup', { q: '成都' }))
  const answer = await chat.answer({ messages: MESSAGES, tools: [tool], log })
  t.equal(answer.text, '根据预报：结果：{"q":"成都"}')
  t.match(answer, { requests: 2, toolCalls: 1, promptTokens: 2 * USAGE.prompt_tokens, finishReason: 'stop' })
  t.same(tool.calls, ['{"q":"成都"}'])
  t.equal(fake.requests[0]?.body.tool_choice, 'auto')
  t.same(fake.requests[0]?.body.tools?.map((offered) => offered.function.name), ['lookup'])
  const second = fake.requests[1]?.body.messages ?? []
  t.match(second[2], { role: 'assistant', tool_calls: [{ id: 'call_0_0', function: { name: 'lookup' } }] })
  t.same(second[3], { role: 'tool', tool_call_id: 'call_0_0', content: '结果：{"q":"成都"}' })
})

test(`tool rounds are bounded: after ${MAX_TOOL_ROUNDS} the model must answer in words`, async (t) => {
  const tool = echoTool()
  const always: FakeModel = (request) => request.body.tool_choice === 'none' ? { text: '不查了，直接说。' } : { toolCalls: [{ name: 'lookup', arguments: {} }] }
  const { fake, chat, log } = await setup(t, always)
  const answer = await chat.answer({ messages: MESSAGES, tools: [tool], log })
  t.match(answer, { text: '不查了，直接说。', requests: MAX_TOOL_ROUNDS + 1, toolCalls: MAX_TOOL_ROUNDS })
  t.same(fake.requests.map((r) => r.body.tool_choice), [...Array(MAX_TOOL_ROUNDS).fill('auto'), 'none'])

  fake.answerWith(() => ({ toolCalls: [{ name: 'lookup', arguments: {} }] }))
  t.equal((await failureOf(chat.answer({ messages: MESSAGES, tools: [tool], log }))).kind, 'empty', 'still calling at the end: no answer')
})

test(`at most ${MAX_TOOL_CALLS_PER_ROUND} calls run per round; unknown and failing tools get a result all the same`, async (t) => {
  const tool = echoTool()
  const failing: ChatTool = { definition: { type: 'function', function: { name: 'broken' } }, run: async () => { throw new Error('boom') } }
  const calls = Array.from({ length: MAX_TOOL_CALLS_PER_ROUND + 2 }, (_, i) => ({ name: i === 0 ? 'nope' : i === 1 ? 'broken' : 'lookup', arguments: { q: String(i) } }))
  const { fake, chat, log } = await setup(t, (request) => lastMessage(request).role === 'tool' ? { text: '好了' } : { toolCalls: calls })
  const answer = await chat.answer({ messages: MESSAGES, tools: [tool, failing], log })
  t.match(answer, { text: '好了', toolCalls: MAX_TOOL_CALLS_PER_ROUND })
  const results = (fake.requests[1]?.body.messages ?? []).filter((m) => m.role === 'tool').map((m) => m.content)
  t.equal(results.length, calls.length, 'every call id gets its answer')
  t.equal(results[0], UNKNOWN_TOOL_TEXT)
  t.equal(results[1], TOOL_FAILED_TEXT)
  t.same(results.slice(MAX_TOOL_CALLS_PER_ROUND), [TOO_MANY_CALLS_TEXT, TOO_MANY_CALLS_TEXT])
  t.equal(tool.calls.length, MAX_TOOL_CALLS_PER_ROUND - 2)
})

test('a custom (non-function) tool call is answered as unknown', async (t) => {
  const completion = (message: object) => JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message, finish_reason: 'tool_calls' }] })
  const { fake, chat, log } = await setup(t, script(
    { raw: completion({ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'custom', custom: { name: 'lookup', input: 'x' } }] }) },
    { text: '完成' }))
  t.equal((await chat.answer({ messages: MESSAGES, tools: [echoTool()], log })).text, '完成')
  t.match(fake.requests[1]?.body.messages[3], { role: 'tool', tool_call_id: 'c1', content: UNKNOWN_TOOL_TEXT })
})

test('an endpoint that rejects tools: the same question again without them, and none offered for an hour', async (t) => {
  let now = 1_000_000
  const tool = echoTool()
  const { fake, chat, log } = await setup(t, withoutTools(() => ({ text: '没有工具也能回答。' })), { now: () => now })
  t.match(await chat.answer({ messages: MESSAGES, tools: [tool], log }), { text: '没有工具也能回答。', requests: 2, toolCalls: 0 })
  t.ok(fake.requests[0]?.body.tools, 'offered first')
  t.notOk(fake.requests[1]?.body.tools, 'then asked without')
  t.same(fake.requests[1]?.body.messages, MESSAGES)
  t.same(log.calls.map((c) => [c.level, c.obj]), [['warn', { status: 400 }]])

  await chat.answer({ messages: MESSAGES, tools: [tool], log })
  t.equal(fake.requests.length, 3, 'the next answer asks once')
  t.notOk(fake.requests[2]?.body.tools)
  now += TOOLS_RETRY_AFTER_MS
  await chat.answer({ messages: MESSAGES, tools: [tool], log })
  t.ok(fake.requests[3]?.body.tools, 'an hour later tools are offered again')
})

test('a 422 on the tools parameter counts as "no tools"; another 400 is a failure, not retried', async (t) => {
  const { fake, chat, log } = await setup(t, (request) => request.body.tools === undefined
    ? { text: '好' }
    : { status: 422, error: { message: 'unsupported parameter', param: 'tools' } })
  t.equal((await chat.answer({ messages: MESSAGES, tools: [echoTool()], log })).text, '好')
  fake.answerWith(script({ status: 400, error: { message: 'context too long' } }))
  const failure = await failureOf(chat.answer({ messages: MESSAGES, tools: [], log }))
  t.match(failure, { kind: 'http', status: 400 })
  t.equal(fake.requests.length, 3)
})

test('a model that ignores the tools just answers', async (t) => {
  const { chat, log } = await setup(t, script({ text: '我不用工具。' }))
  t.match(await chat.answer({ messages: MESSAGES, tools: [echoTool()], log }), { text: '我不用工具。', toolCalls: 0 })
})

test('refusals, empty answers and bodies that are no completion are failures of their kind', async (t) => {
  const { fake, chat, log } = await setup(t)
  const cases: Array<[string, Parameters<FakeLlm['answerWith']>[0], string]> = [
    ['refusal', script({ text: null, refusal: 'I cannot help with that.' }), 'refusal'],
    ['content filter', script({ text: '部分', finishReason: 'content_filter' }), 'refusal'],
    ['blank', script({ text: '   ' }), 'empty'],
    ['null content', script({ text: null }), 'empty'],
    ['no choices', script({ raw: JSON.stringify({ id: 'x', choices: [] }) }), 'empty'],
    ['no choices field', script({ raw: JSON.stringify({ id: 'x' }) }), 'bad-response'],
    ['html', script({ raw: '<html>bad gateway</html>', contentType: 'text/html' }), 'bad-response'],
    ['broken json', script({ raw: '{"choices": [', contentType: 'application/json' }), 'bad-response'],
    ['json null', script({ raw: 'null' }), 'bad-response']
  ]
  for (const [label, model, kind] of cases) {
    fake.answerWith(model)
    t.equal((await failureOf(chat.answer({ messages: MESSAGES, tools: [], log }))).kind, kind, label)
  }
  fake.answerWith(script({ raw: '{"choices": [', contentType: 'application/json' }))
  t.equal((await failureOf(chat.answer({ messages: MESSAGES, tools: [echoTool()], log }))).kind, 'bad-response', 'with tools offered too')
})

test('HTTP errors: a 5xx is retried once, a 401 is not', async (t) => {
  const { fake, chat, log } = await setup(t, script({ status: 503, error: { message: 'overloaded' } }))
  t.match(await failureOf(chat.answer({ messages: MESSAGES, tools: [], log })), { kind: 'http', status: 503 })
  t.equal(fake.requests.length, 2)
  fake.answerWith(script({ status: 401, error: { message: 'bad key' } }))
  t.match(await failureOf(chat.answer({ messages: MESSAGES, tools: [echoTool()], log })), { kind: 'http', status: 401 })
  t.equal(fake.requests.length, 3)
})

test('the endpoint down: a connection failure', async (t) => {
  const settings: LlmSettings = { baseUrl: `${await refusedBaseUrl()}/v1`, apiKey: KEY, model: 'm', timeoutMs: 60_000, maxTurns: 0 }
  const chat = createLlmChat({ settings, maxRetries: 0 })
  t.equal((await failureOf(chat.answer({ messages: MESSAGES, tools: [echoTool()], log: recordingLogger() }))).kind, 'connection')
})

test('the timeout covers the whole answer: a slow model, a hung model, a hung tool', async (t) => {
  const timeoutMs = 300
  const { fake, chat, log } = await setup(t, script({ delayMs: 2000, then: { text: '太晚了' } }), { settings: { timeoutMs } })
  for (const [label, model, tools] of [
    ['slow', script({ delayMs: 2000, then: { text: '太晚了' } }), []],
    ['hung', script({ hang: true }), []],
    ['hung tool', script({ toolCalls: [{ name: 'slow', arguments: {} }] }), [{ definition: { type: 'function', function: { name: 'slow' } }, run: async () => await new Promise<string>(() => {}) }]]
  ] as const) {
    fake.answerWith(model)
    const started = performance.now()
    t.equal((await failureOf(chat.answer({ messages: MESSAGES, tools: tools as readonly ChatTool[], log }))).kind, 'timeout', label)
    const ms = performance.now() - started
    t.ok(ms >= timeoutMs - 20 && ms < timeoutMs + 1000, `${label}: ${Math.round(ms)} ms`)
  }
})
