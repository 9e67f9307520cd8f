import { createBlacklistApi } from './blacklist.js'
import { fetchCallbackIps } from './callback-ip.js'
import type { BlacklistApi } from './blacklist.js'
import { createCustomServiceApi } from './custom-service.js'
import type { CustomServiceApi } from './custom-service.js'
import { createFanApi } from './fans.js'
import type { FanApi } from './fans.js'
import { createMassSendApi } from './mass-send.js'
import type { MassSendApi } from './mass-send.js'
import { createMaterialApi } from './material.js'
import type { MaterialApi } from './material.js'
import { createMediaApi } from './media.js'
import type { MediaApi } from './media.js'
import { createMenuApi } from './menu.js'
import type { MenuApi } from './menu.js'
import { createQrCodeApi } from './qrcode.js'
import type { QrCodeApi } from './qrcode.js'
import { createShortKeyApi } from './short-link.js'
import type { ShortKeyApi } from './short-link.js'
import { sendSubscribeNotice } from './subscribe-notice.js'
import type { SubscribeNotice } from './subscribe-notice.js'
import { createTagApi } from './tags.js'
import type { TagApi } from './tags.js'
import { createTemplateMessageApi } from './template-message.js'
import type { TemplateMessageApi } from './template-message.js'
import type { CallWithToken, DownloadWithToken } from './token-call.js'

export interface ManagementApiOptions {
  /** Like callWithToken, for answers that may be files (media downloads). */
  downloadWithToken: DownloadWithToken
  /** Where showqrcode is served: https://mp.weixin.qq.com in production. */
  qrImageBase: string
  timeoutMs?: number
}

/**
 * The account's management APIs, each a thin typed layer over callWithToken: the token and
 * its one retry stay there; WeChat's other errcodes come back as WeChatApiError, never retried.
 */
export interface ManagementApi {
  menu: MenuApi
  qrCodes: QrCodeApi
  templates: TemplateMessageApi
  /** 订阅通知 (message/subscribe/bizsend). */
  sendSubscribeNotice(notice: SubscribeNotice): Promise<void>
  customService: CustomServiceApi
  /** Temporary media (three days). */
  media: MediaApi
  /** Permanent material. */
  material: MaterialApi
  fans: FanApi
  tags: TagApi
  blacklist: BlacklistApi
  massSend: MassSendApi
  shortKeys: ShortKeyApi
  /** getcallbackip: the addresses and CIDR ranges WeChat pushes from. */
  callbackIps(): Promise<string[]>
}

export function createManagementApi (callWithToken: CallWithToken, options: ManagementApiOptions): ManagementApi {
  const { downloadWithToken } = options
  return {
    menu: createMenuApi(callWithToken),
    qrCodes: createQrCodeApi(callWithToken, { qrImageBase: options.qrImageBase, timeoutMs: options.timeoutMs }),
    templates: createTemplateMessageApi(callWithToken),
    sendSubscribeNotice: async (notice) => { await sendSubscribeNotice(callWithToken, notice) },
    customService: createCustomServiceApi(callWithToken),
    media: createMediaApi(callWithToken, downloadWithToken),
    material: createMaterialApi(callWithToken, downloadWithToken),
    fans: createFanApi(callWithToken),
    tags: createTagApi(callWithToken),
    blacklist: createBlacklistApi(callWithToken),
    massSend: createMassSendApi(callWithToken),
    shortKeys: createShortKeyApi(callWithToken),
    callbackIps: async () => await fetchCallbackIps(callWithToken)
  }
}
