import { Type } from '@sinclair/typebox'
import { answerReader } from './answer-schema.js'
import type { CallWithToken } from './token-call.js'

/** 获取微信callback IP地址: the addresses WeChat's pushes come from, as addresses or CIDR ranges. */
export const CALLBACK_IP_PATH = '/cgi-bin/getcallbackip'

const readList = answerReader(Type.Object({ ip_list: Type.Array(Type.String()) }))

export async function fetchCallbackIps (callWithToken: CallWithToken): Promise<string[]> {
  return readList(await callWithToken(CALLBACK_IP_PATH, { method: 'GET' }), CALLBACK_IP_PATH).ip_list
}
