/** What the sandbox itself remembers besides the platform's state. */
export interface SandboxSession {
  /**
   * The fan "holding the phone": last picked in the console or on the consent page; silent
   * (snsapi_base) authorization answers for this fan.
   */
  currentOpenid: string
}
