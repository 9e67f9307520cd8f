// The account's menu at the bottom of the chat, as WeChat shows it: up to three buttons, each a
// sub-menu that pops up or an action. A click button sends CLICK, a view button VIEW and opens
// the page; ⌨ and ☰ switch between the menu and the keyboard.
import { el } from './console-cards.js'

const TYPE_WORDS = {
  scancode_push: '扫码推事件', scancode_waitmsg: '扫码带提示', pic_sysphoto: '拍照发图', pic_photo_or_album: '拍照或相册发图',
  pic_weixin: '微信相册发图', location_select: '发送位置', miniprogram: '小程序', article_view_limited: '图文消息'
}

/**
 * `act(button)` does what tapping the leaf does; `onShow(hasMenu)` is told when the bar comes
 * or goes, so the page can put the keyboard back.
 */
export function createMenuBar ({ bar, buttons, popup, composer, toKeyboard, toMenu, act }) {
  let shown = ''
  let onKeyboard = false

  function closePopup () {
    popup.hidden = true
    popup.replaceChildren()
  }

  function leaf (button, className) {
    const b = el('button', className, button.name)
    b.type = 'button'
    b.dataset.type = button.type
    b.addEventListener('click', () => { closePopup(); act(button) })
    return b
  }

  function parent (button, index, count) {
    const b = el('button', 'menubar-button parent', button.name)
    b.type = 'button'
    b.addEventListener('click', () => {
      const open = !popup.hidden && popup.dataset.for === String(index)
      closePopup()
      if (open) return
      popup.dataset.for = String(index)
      // Above its button: the bar is the ⌨ switch (44 px) and the buttons sharing the rest.
      popup.style.left = `calc(44px + (100% - 44px) * ${index / count})`
      popup.style.width = `calc((100% - 44px) / ${count} - 8px)`
      popup.append(...button.sub_button.map((sub) => leaf(sub, 'submenu-button')))
      popup.hidden = false
    })
    return b
  }

  function layout () {
    const hasMenu = shown !== '' && JSON.parse(shown).length > 0
    bar.hidden = !hasMenu || onKeyboard
    composer.hidden = hasMenu && !onKeyboard
    toMenu.hidden = !hasMenu
    if (bar.hidden) closePopup()
  }

  toKeyboard.addEventListener('click', () => { onKeyboard = true; layout() })
  toMenu.addEventListener('click', () => { onKeyboard = false; layout() })

  return {
    /** Shows `menu` (the buttons the fan sees); the same menu again changes nothing, so an open sub-menu stays. */
    show (button) {
      const next = JSON.stringify(button)
      if (next === shown) return
      shown = next
      onKeyboard = false
      closePopup()
      buttons.replaceChildren(...button.map((b, index) => Array.isArray(b.sub_button) && b.sub_button.length > 0
        ? parent(b, index, button.length)
        : leaf(b, 'menubar-button')))
      layout()
    }
  }
}

/** What a leaf's tap does, for the types the sandbox does not push an event for. */
export function describeButton (button) {
  return TYPE_WORDS[button.type] ?? button.type
}
