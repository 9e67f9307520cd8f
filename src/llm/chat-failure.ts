/**
 * Why the model gave no answer, as logs may name it: the kind and an HTTP status, never the
 * error's message (a provider's message can quote the prompt).
 */
export type ChatFailureKind = 'timeout' | 'connection' | 'http' | 'refusal' | 'empty' | 'bad-response'

export class ChatFailure extends Error {
  override name = 'ChatFailure'
  readonly kind: ChatFailureKind
  readonly status: number | undefined

  constructor (kind: ChatFailureKind, status?: number) {
    super(status === undefined ? `chat failed: ${kind}` : `chat failed: ${kind} ${status}`)
    this.kind = kind
    this.status = status
  }
}

const APOLOGIES: Record<ChatFailureKind, string> = {
  timeout: '抱歉，我想得太久了，请稍后再问我一次。',
  connection: '抱歉，我暂时联系不上，请稍后再试。',
  http: '抱歉，我暂时无法回答，请稍后再试。',
  'bad-response': '抱歉，我暂时无法回答，请稍后再试。',
  empty: '抱歉，这个问题我没能想出答案，换个说法试试？',
  refusal: '抱歉，这个问题我不能回答。'
}

/** The short text a fan gets instead of silence. */
export function apologyFor (kind: ChatFailureKind): string {
  return APOLOGIES[kind]
}
