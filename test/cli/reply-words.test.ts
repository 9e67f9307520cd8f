import { test } from 'tap'
import { describeReply } from '../../cli/reply-words.js'
import { reply } from '../../src/protocol/reply.js'

test('a reply in a few words', async (t) => {
  t.equal(describeReply(reply.text('菜单：K')), '“菜单：K”')
  t.equal(describeReply(reply.image('m1')), 'an image reply')
  t.equal(describeReply(reply.news([{ title: 't', description: '', picUrl: '', url: 'https://example.com/' }])), 'a news reply')
  t.equal(describeReply(undefined), 'no reply')
})
