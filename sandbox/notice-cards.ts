import type { Json } from './platform/json.js'
import type { SentNotice, TemplateRegistry } from './platform/template-registry.js'

/** A template message or subscription notice as the fan's chat shows it: a card of its own. */
export interface NoticeCard {
  kind: 'template' | 'subscribe'
  appId: string
  touser: string
  title: string
  /** The template's lines with the values filled in (template messages), or `key: value` each. */
  lines: string[]
  /** Where a tap goes: the url, a subscription notice's page, or a mini program's path. */
  link: string | null
  at: number
}

export interface NoticeFeed {
  templates: { next: number, items: NoticeCard[] }
  subscribe: { next: number, items: NoticeCard[] }
}

const valueOf = (data: unknown, key: string): string => {
  const entry = (typeof data === 'object' && data !== null ? (data as Json)[key] : undefined) as { value?: unknown } | undefined
  return typeof entry?.value === 'string' ? entry.value : ''
}

function linkOf (body: Json): string | null {
  const miniprogram = body.miniprogram as { pagepath?: unknown } | undefined
  for (const candidate of [body.url, body.page, miniprogram?.pagepath]) if (typeof candidate === 'string' && candidate !== '') return candidate
  return null
}

/** The notices sent since the console last looked (by position in each list). */
export function noticeFeed (templates: TemplateRegistry, after: { templates: number, subscribe: number }): NoticeFeed {
  const card = (kind: NoticeCard['kind'], sent: SentNotice, title: string, lines: string[]): NoticeCard =>
    ({ kind, appId: sent.appId, touser: sent.touser, title, lines, link: linkOf(sent.body), at: sent.at })
  const templateCards = templates.sent.slice(after.templates).map((sent) => {
    const template = templates.privateTemplates.get(sent.templateId)
    // The fan keeps a message whose template was deleted since; its words are gone, its values stay.
    const lines = template === undefined
      ? Object.keys(sent.body.data as Json).map((key) => `${key}: ${valueOf(sent.body.data, key)}`)
      : template.content.split('\n').map((line) => line.replace(/\{\{\s*([A-Za-z0-9_]+)\.DATA\s*\}\}/g, (_all, key: string) => valueOf(sent.body.data, key)))
    return card('template', sent, template?.title ?? '模板消息', lines)
  })
  const subscribeCards = templates.subscribeSent.slice(after.subscribe).map((sent) => {
    const template = templates.subscribeTemplates.get(sent.templateId) as { title: string, keys: string[] }
    return card('subscribe', sent, template.title, template.keys.map((key) => `${key}: ${valueOf(sent.body.data, key)}`))
  })
  return {
    templates: { next: templates.sent.length, items: templateCards },
    subscribe: { next: templates.subscribeSent.length, items: subscribeCards }
  }
}
