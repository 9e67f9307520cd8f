import { test } from 'tap'
import { PRESET_PLACES } from '../../sandbox/fan-message.js'
import { createJssdkLocations, PRESET_LABELS, presetPlace } from '../../sandbox/jssdk-location.js'

test('each fan has a phone setting: the first preset and allowed until the console says otherwise', async (t) => {
  const locations = createJssdkLocations()
  t.same(locations.get('oA'), { place: '北京天安门', denied: false })
  const given = { place: '上海外滩', denied: true } as const
  const stored = locations.set('oA', given)
  t.same(stored, given)
  t.same(locations.get('oA'), given)
  t.same(locations.get('oB'), { place: '北京天安门', denied: false }, 'another fan is untouched')
  t.same(PRESET_LABELS, PRESET_PLACES.map((place) => place.label))
  t.equal(presetPlace('广州塔'), PRESET_PLACES[2])
})
