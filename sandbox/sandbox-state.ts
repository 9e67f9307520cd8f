import type { FollowState } from './follow-state.js'
import type { JssdkLocations } from './jssdk-location.js'

/** What the sandbox itself remembers besides the platform's state. */
export interface SandboxSession {
  /**
   * The fan "holding the phone": last picked in the console or on the consent page; silent
   * (snsapi_base) authorization answers for this fan.
   */
  currentOpenid: string
  /** Per fan, what the stand-in JS-SDK's wx.getLocation answers on that fan's phone. */
  jssdkLocations: JssdkLocations
  /** Which fan follows which account (a QR scan subscribes or reports SCAN accordingly). */
  follows: FollowState
}
