import { PRESET_PLACES } from './fan-message.js'

export type PresetPlace = typeof PRESET_PLACES[number]
export type PresetLabel = PresetPlace['label']

/** What a fan's phone answers to wx.getLocation: one of the console's places, or a refusal. */
export interface JssdkLocationSetting {
  place: PresetLabel
  /** The fan refused the location permission: getLocation fails with "auth deny". */
  denied: boolean
}

export interface JssdkLocations {
  /** A fan never set in the console stands at the first preset place and allows. */
  get(openid: string): JssdkLocationSetting
  set(openid: string, setting: JssdkLocationSetting): JssdkLocationSetting
}

export const PRESET_LABELS = PRESET_PLACES.map((place) => place.label) as readonly PresetLabel[]

export function presetPlace (label: PresetLabel): PresetPlace {
  return PRESET_PLACES.find((place) => place.label === label) as PresetPlace
}

export function createJssdkLocations (): JssdkLocations {
  const settings = new Map<string, JssdkLocationSetting>()
  return {
    get: (openid) => settings.get(openid) ?? { place: PRESET_PLACES[0].label, denied: false },
    set (openid, setting) {
      const copy = { place: setting.place, denied: setting.denied }
      settings.set(openid, copy)
      return copy
    }
  }
}
