// A real HTTP server on 127.0.0.1 standing in for an OpenAI-compatible chat-completions endpoint
// (OpenAI, DeepSeek, Ollama…): the official `openai` package talks to it as to any other. It records
// every request and answers as the test's model says: words, tool calls, an HTTP error, a body that
// is no completion, a delay, or nothing at all.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ChatBody {
  model: string
  messages: Array<{ role: string, content?: string | null, tool_calls?: Array<{ id: string, function: { name: string, arguments: string } }>, tool_call_id?: string }>
  tools?: Array<{ type: string, function: { name: string, parameters?: unknown } }>
  tool_choice?: unknown
}

export interface RecordedChat {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: ChatBody
}

export type FakeAnswer =
  | { text: string | null, finishReason?: string, refusal?: string }
  | { toolCalls: Array<{ name: string, arguments: string | object }> }
  | { status: number, error: { message: string, type?: string, param?: string | null } }
  | { raw: string, contentType?: string }
  | { hang: true }
  | { delayMs: number, then: FakeAnswer }

/** The test's model: what to answer to the n-th request (0-based). */
export type FakeModel = (request: RecordedChat, index: number) => FakeAnswer | Promise<FakeAnswer>

export interface FakeLlm {
  /** With /v1, as the provider's documentation gives it. */
  baseUrl: string
  requests: RecordedChat[]
  answerWith(model: FakeModel): void
  close(): Promise<void>
}

export const USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 }

/** The answers in turn; past the end, the last one again. */
export function script (...answers: FakeAnswer[]): FakeModel {
  return (_request, index) => answers[Math.min(index, answers.length - 1)] as FakeAnswer
}

/** The last message of the request: what the model is answering. */
export function lastMessage (request: RecordedChat): ChatBody['messages'][number] {
  return request.body.messages[request.body.messages.length - 1] as ChatBody['messages'][number]
}

/** A model that calls one tool, then answers with what the tool said. */
export function toolUser (name: string, args: object): FakeModel {
  return (request) => {
    const last = lastMessage(request)
    if (last.role === 'tool') return { text: `根据预报：${String(last.content)}` }
    return request.body.tools === undefined ? { text: '我查不了天气。' } : { toolCalls: [{ name, arguments: args }] }
  }
}

/** 400 to any request with tools, as Ollama answers for a model without tool support. */
export function withoutTools (then: FakeModel): FakeModel {
  return (request, index) => request.body.tools === undefined
    ? then(request, index)
    : { status: 400, error: { message: 'registry.ollama.ai/library/gemma:2b does not support tools', type: 'api_error', param: null } }
}

function completion (answer: { text: string | null, finishReason?: string, refusal?: string } | { toolCalls: Array<{ name: string, arguments: string | object }> }, index: number): object {
  const message = 'toolCalls' in answer
    ? {
        role: 'assistant',
        content: null,
        tool_calls: answer.toolCalls.map((call, i) => ({
          id: `call_${index}_${i}`,
          type: 'function',
          function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) }
        }))
      }
    : { role: 'assistant', content: answer.text, refusal: answer.refusal ?? null }
  const finishReason = 'toolCalls' in answer ? 'tool_calls' : answer.finishReason ?? 'stop'
  return {
    id: `chatcmpl-fake-${index}`,
    object: 'chat.completion',
    created: 1_764_000_000,
    model: 'fake-model',
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: USAGE
  }
}

export async function startFakeLlm (model: FakeModel = () => ({ text: '好的。' })): Promise<FakeLlm> {
  const requests: RecordedChat[] = []
  const timers = new Set<NodeJS.Timeout>()
  let current = model
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1')
      if (request.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }))
        return
      }
      const recorded: RecordedChat = { method: request.method, path: url.pathname, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody }
      const index = requests.push(recorded) - 1
      const send = (answer: FakeAnswer): void => {
        if ('hang' in answer) return
        if ('delayMs' in answer) {
          const timer = setTimeout(() => { timers.delete(timer); send(answer.then) }, answer.delayMs)
          timers.add(timer)
          return
        }
        if ('status' in answer) {
          response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: answer.error }))
        } else if ('raw' in answer) {
          response.writeHead(200, { 'content-type': answer.contentType ?? 'application/json' }).end(answer.raw)
        } else {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(answer, index)))
        }
      }
      void Promise.resolve(current(recorded, index)).then(send)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    answerWith (next) { current = next },
    async close () {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
