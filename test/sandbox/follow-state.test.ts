import { test } from 'tap'
import { createFollowState } from '../../sandbox/follow-state.js'

test('fans follow every account until they unfollow; a newcomer follows none until they subscribe', async (t) => {
  const follows = createFollowState()
  t.ok(follows.follows('default', 'oA'))
  follows.set('default', 'oA', false)
  t.notOk(follows.follows('default', 'oA'))
  t.ok(follows.follows('shop', 'oA'), 'per account')
  follows.addNewcomer('oNew')
  t.notOk(follows.follows('default', 'oNew'))
  follows.set('shop', 'oNew', true)
  t.ok(follows.follows('shop', 'oNew'))
  t.notOk(follows.follows('default', 'oNew'))
})
