export interface Fan {
  openid: string
  nickname: string
  /** On WeChat's image host, as real profiles are. */
  headimgurl: string
  unionid?: string
  /** No interaction in the last 48 hours: customer-service messages get 45015. */
  outsideWindow: boolean
  /**
   * What /sns/userinfo said before late 2021, when WeChat still filled sex and region: for a
   * page to be tried with them. Absent (every default fan): sex 0 and empty strings, as now.
   */
  legacyProfile?: LegacyProfile
}

export interface LegacyProfile {
  sex: number
  country: string
  province: string
  city: string
}

export type FanInput = Omit<Fan, 'outsideWindow' | 'headimgurl'> & { outsideWindow?: boolean, headimgurl?: string }

export function avatarUrl (seed: string): string {
  return `https://thirdwx.qlogo.cn/mmopen/vi_32/${seed}/132`
}

/** The followers every fresh platform starts with (28-character openids like WeChat's). */
export function defaultFans (): Fan[] {
  return [
    { openid: 'oSandboxFan00000000000000001', nickname: '小明', headimgurl: avatarUrl('Q3auHgzwzM4xiaoming0000000001'), unionid: 'uSandboxUnion000000000000001', outsideWindow: false },
    { openid: 'oSandboxFan00000000000000002', nickname: '王芳', headimgurl: avatarUrl('Q3auHgzwzM4wangfang000000002'), outsideWindow: false },
    { openid: 'oSandboxFan00000000000000003', nickname: '陈静🌸', headimgurl: avatarUrl('Q3auHgzwzM4chenjing00000003'), outsideWindow: true }
  ]
}
