// The QR codes the platform issued to the account (qrcode/create, e.g. `wemp qrcode create`),
// and scanning one as the fan shown: WeChat then pushes subscribe with qrscene_ for a fan who
// does not follow yet, SCAN for one who does.
import { el } from './console-cards.js'

export function createQrPanel ({ select, scanButton, status, api, context, onScanned }) {
  let listed = ''

  async function refresh () {
    const { account } = context()
    const { codes } = await api(`/api/qrcodes?account=${encodeURIComponent(account)}`)
    const next = JSON.stringify(codes)
    if (next === listed) return
    listed = next
    const chosen = select.value
    select.replaceChildren(...codes.map((code) => {
      const until = new Date(code.expiresAt)
      const lifetime = code.permanent ? '永久' : code.expired ? '已过期' : `至 ${until.getMonth() + 1}/${until.getDate()}`
      const o = el('option', '', `场景 ${code.scene} · ${lifetime}`)
      o.value = code.ticket
      o.disabled = code.expired
      return o
    }))
    if (codes.some((code) => code.ticket === chosen)) select.value = chosen
    select.hidden = codes.length === 0
    scanButton.disabled = codes.every((code) => code.expired)
    status.textContent = codes.length === 0 ? '还没有二维码：wemp qrcode create --scene … 创建的会出现在这里' : `${codes.length} 个二维码`
  }

  scanButton.addEventListener('click', async () => {
    const { account, openid } = context()
    try {
      const result = await api('/api/qrcodes/scan', { account, openid, ticket: select.value })
      status.textContent = result.action.kind === 'subscribe' ? `扫码关注：qrscene_${result.action.scene}` : `已关注，扫码推送 SCAN：${result.action.scene}`
      onScanned(openid, result)
    } catch (error) {
      status.textContent = `扫码失败：${error.message}`
    }
  })

  return {
    refresh,
    /** Another account: its own codes. */
    reset () { listed = ''; return refresh() }
  }
}
