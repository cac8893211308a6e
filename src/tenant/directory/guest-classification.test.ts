import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyUser } from './guest-classification.ts';

const DOMAIN = 'contoso.onmicrosoft.com';
const PARTNERS = [
  { tenantId: 'aaaa', domain: 'fabrikam.com' },
  { tenantId: 'bbbb', domain: 'adatum.com', isServiceProvider: true },
];
const local = (upn: string) => [{ signInType: 'userPrincipalName', issuer: DOMAIN, issuerAssignedId: upn }];

describe('guest classification', () => {
  it('classifies members and local guests', () => {
    assert.equal(classifyUser({ userType: 'Member', identities: local('a@x') }, DOMAIN), 'member');
    assert.equal(classifyUser({ userType: 'Guest', identities: local('a@x') }, DOMAIN), 'internalGuest');
  });

  it('classifies B2B guests and members by identity, UPN or creationType', () => {
    const federated = [
      { signInType: 'federated', issuer: 'ExternalAzureAD', issuerAssignedId: 'x@fabrikam.com' },
    ];
    assert.equal(classifyUser({ userType: 'Guest', identities: federated }, DOMAIN), 'b2bCollaborationGuest');
    assert.equal(
      classifyUser({ userType: 'Member', identities: federated }, DOMAIN),
      'b2bCollaborationMember',
    );
    assert.equal(
      classifyUser(
        { userType: 'Guest', userPrincipalName: `x_f.com#EXT#@${DOMAIN}`, identities: local('x') },
        DOMAIN,
      ),
      'b2bCollaborationGuest',
    );
    assert.equal(
      classifyUser({ userType: 'Guest', creationType: 'Invitation', identities: [] }, DOMAIN),
      'b2bCollaborationGuest',
    );
    const otp = [{ signInType: 'federated', issuer: 'mail', issuerAssignedId: 'x@y.com' }];
    assert.equal(classifyUser({ userType: 'Guest', identities: otp }, DOMAIN), 'b2bCollaborationGuest');
  });

  it('recognises service-provider partners and explicit types', () => {
    const federated = [
      { signInType: 'federated', issuer: 'ExternalAzureAD', issuerAssignedId: 'x@adatum.com' },
    ];
    assert.equal(
      classifyUser({ userType: 'Guest', identities: federated, _homeTenantId: 'bbbb' }, DOMAIN, PARTNERS),
      'serviceProvider',
    );
    assert.equal(
      classifyUser({ userType: 'Guest', _externalUserType: 'otherExternalUser' }, DOMAIN),
      'otherExternalUser',
    );
  });
});
