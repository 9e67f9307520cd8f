import type { NoticeData } from '../src/wechat-api/template-message.js'
import type { CliAccount } from './cli-account.js'
import { UsageError } from './cli-output.js'
import type { Outcome } from './cli-output.js'

export interface TemplateRequest {
  to: string
  template: string
  url?: string
  /** `key=value` each, as written on the command line. */
  data: string[]
}

/** `thing2=保温杯` pairs to notice data; a pair without `=`, or a key twice, is a usage error. */
export function noticeData (pairs: readonly string[]): NoticeData {
  const data: NoticeData = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at < 1) throw new UsageError(`template data is key=value, not ${JSON.stringify(pair)}`)
    const key = pair.slice(0, at)
    if (Object.hasOwn(data, key)) throw new UsageError(`template data names ${key} twice`)
    data[key] = pair.slice(at + 1)
  }
  return data
}

/** `wemp template send --to OPENID --template ID key=value…`. */
export async function templateSend (account: CliAccount, request: TemplateRequest): Promise<Outcome> {
  const data = noticeData(request.data)
  const msgid = await account.api.management.templates.send({
    touser: request.to,
    templateId: request.template,
    data,
    ...(request.url === undefined ? {} : { url: request.url })
  })
  return {
    text: `template message sent to ${request.to} (template ${request.template}): msgid ${msgid}\nTEMPLATESENDJOBFINISH with this msgid reports whether it reached the fan`,
    json: { msgid, touser: request.to, templateId: request.template, data, url: request.url ?? null }
  }
}

/** `wemp template list`: the account's own templates and the keys each one fills. */
export async function templateList (account: CliAccount): Promise<Outcome> {
  const templates = await account.api.management.templates.listPrivate()
  const lines = templates.flatMap((template) => {
    const keys = [...template.content.matchAll(/\{\{\s*([A-Za-z0-9_]+)\.DATA\s*\}\}/g)].map((match) => `${match[1] as string}=…`)
    return [`${template.template_id}  ${template.title}`, `  ${keys.join(' ')}`]
  })
  return { text: templates.length === 0 ? 'no templates: add some in the MP console (广告与服务 → 模板消息)' : lines.join('\n'), json: { templates } }
}
