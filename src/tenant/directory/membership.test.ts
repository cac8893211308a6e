import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildMembershipIndex,
  transitiveGroupsOf,
  transitiveMembersOf,
  type MembershipEdge,
} from './membership.ts';

const edges: MembershipEdge[] = [
  { groupId: 'all', memberId: 'it', memberType: 'group' },
  { groupId: 'it', memberId: 'helpdesk', memberType: 'group' },
  { groupId: 'helpdesk', memberId: 'julia', memberType: 'user' },
  { groupId: 'it', memberId: 'julia', memberType: 'user' },
  { groupId: 'loopA', memberId: 'loopB', memberType: 'group' },
  { groupId: 'loopB', memberId: 'loopA', memberType: 'group' },
  { groupId: 'loopB', memberId: 'sam', memberType: 'user' },
];

describe('membership closure', () => {
  const index = buildMembershipIndex(edges);

  it('walks nested groups upwards, each group once', () => {
    assert.deepEqual(transitiveGroupsOf(index, 'julia').sort(), ['all', 'helpdesk', 'it']);
  });

  it('walks nested members downwards, case-insensitively', () => {
    assert.deepEqual(transitiveMembersOf(index, 'ALL').sort(), ['helpdesk', 'it', 'julia']);
  });

  it('is cycle-safe and never includes the start', () => {
    assert.deepEqual(transitiveMembersOf(index, 'loopA').sort(), ['loopb', 'sam']);
    assert.deepEqual(transitiveGroupsOf(index, 'sam').sort(), ['loopa', 'loopb']);
  });

  it('answers empty for unknown objects', () => {
    assert.deepEqual(transitiveGroupsOf(index, 'nobody'), []);
  });
});
