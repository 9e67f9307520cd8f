import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions'

/** A function the model may call: its declaration, and the code that answers it. */
export interface ChatTool {
  definition: ChatCompletionFunctionTool
  /** The result the model reads, as text; resolves for any arguments, even malformed JSON. */
  run(argumentsJson: string): Promise<string>
}
