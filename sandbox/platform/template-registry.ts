import type { Json } from './json.js'

/** A template of the account's own (私有模板), as get_all_private_template lists it. */
export interface PrivateTemplate {
  template_id: string
  title: string
  primary_industry: string
  deputy_industry: string
  /** With `{{key.DATA}}` placeholders: the data keys a message must fill. */
  content: string
  example: string
}

/** A subscription-notice (订阅通知) template the account has chosen. */
export interface SubscribeTemplate {
  templateId: string
  title: string
  /** The data keys, e.g. thing1, time2: their prefix sets the value's rules. */
  keys: string[]
}

export interface SentNotice {
  /** The account that sent it (by its token). */
  appId: string
  touser: string
  templateId: string
  /** The request body as WeChat received it. */
  body: Json
  at: number
}

export interface SentTemplateMessage extends SentNotice {
  msgid: string
}

export interface TemplateRegistry {
  readonly privateTemplates: Map<string, PrivateTemplate>
  readonly subscribeTemplates: Map<string, SubscribeTemplate>
  /** Template messages sent, in order. */
  readonly sent: SentTemplateMessage[]
  /** Subscription notices sent, in order. */
  readonly subscribeSent: SentNotice[]
  /** A fan taps "allow" once: one notice of that template may then be sent to them. */
  grantSubscription(openid: string, templateId: string): void
  /** Uses up one grant; false when there is none (WeChat answers 43101). */
  consumeSubscription(openid: string, templateId: string): boolean
  nextMsgid(): string
}

export const DEFAULT_TEMPLATE_ID = 'iPk5sOIt5X_flOVKn5GrTFpncEYTojx6ddbt8WYoV5s'
export const DEFAULT_SUBSCRIBE_TEMPLATE_ID = 'GmWuqC8Z5ZVd7eW2tDGgLBy8cOE-vE3F8n1mhP5O1tM'

export function createTemplateRegistry (): TemplateRegistry {
  const privateTemplates = new Map<string, PrivateTemplate>([[DEFAULT_TEMPLATE_ID, {
    template_id: DEFAULT_TEMPLATE_ID,
    title: '订单发货通知',
    primary_industry: 'IT科技',
    deputy_industry: '互联网|电子商务',
    content: '订单编号：{{character_string1.DATA}}\n商品名称：{{thing2.DATA}}\n发货时间：{{time3.DATA}}',
    example: '订单编号：20240501123\n商品名称：保温杯\n发货时间：2024年5月1日 10:00'
  }]])
  const subscribeTemplates = new Map<string, SubscribeTemplate>([[DEFAULT_SUBSCRIBE_TEMPLATE_ID, {
    templateId: DEFAULT_SUBSCRIBE_TEMPLATE_ID, title: '天气提醒', keys: ['thing1', 'phrase2', 'time3']
  }]])
  const grants = new Map<string, number>()
  const grantKey = (openid: string, templateId: string): string => `${openid}\n${templateId}`
  // Template msgids pass 2^53 on real accounts; the fake's do too, to keep clients honest.
  let lastMsgid = 3_147_483_648_000_000_000n
  return {
    privateTemplates,
    subscribeTemplates,
    sent: [],
    subscribeSent: [],
    grantSubscription (openid, templateId) {
      grants.set(grantKey(openid, templateId), (grants.get(grantKey(openid, templateId)) ?? 0) + 1)
    },
    consumeSubscription (openid, templateId) {
      const left = grants.get(grantKey(openid, templateId)) ?? 0
      if (left === 0) return false
      grants.set(grantKey(openid, templateId), left - 1)
      return true
    },
    nextMsgid: () => String(++lastMsgid)
  }
}
