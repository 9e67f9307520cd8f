import { reply } from '../protocol/reply.js'
import type { BotHandlers } from './bot.js'

export interface EchoBotOptions {
  welcomeText: string
}

const QR_SCENE_PREFIX = 'qrscene_'

/** What the account answers out of the box: every message mirrored back in kind. */
export function echoBotHandlers (options: EchoBotOptions): BotHandlers {
  return {
    text: (m) => reply.text(m.Content),
    image: (m) => reply.image(m.MediaId),
    voice: (m) => reply.voice(m.MediaId),
    video: (m) => reply.video(m.MediaId),
    shortvideo: (m) => reply.video(m.MediaId),
    location: (m) => reply.text(`你的位置：${m.Label || '未命名地点'}\n纬度 ${m.Location_X}，经度 ${m.Location_Y}`),
    link: (m) => reply.text(`收到链接：${m.Title}\n${m.Url}`),
    subscribe: (e) => {
      const scene = e.EventKey?.startsWith(QR_SCENE_PREFIX) === true ? e.EventKey.slice(QR_SCENE_PREFIX.length) : ''
      return reply.text(scene === '' ? options.welcomeText : `${options.welcomeText}\n（来自二维码场景：${scene}）`)
    },
    SCAN: (e) => reply.text(`扫码场景：${e.EventKey}`),
    CLICK: (e) => reply.text(`菜单：${e.EventKey}`)
  }
}
