import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildLookup,
  buildManifest,
  changesBetween,
  FakeGraphPort,
} from '../../../test/kinds/kind-fixtures.ts';
import { authenticationStrengthPolicyKind as kind } from './index.ts';
import { canonicalizeCombination } from './method-modes.ts';

const KIND = 'AuthenticationStrengthPolicy';
const lookup = buildLookup();
const COLLECTION = '/policies/authenticationStrengthPolicies';

describe('AuthenticationStrengthPolicy kind', () => {
  it('orders combination members canonically and sorts the list', () => {
    assert.equal(
      canonicalizeCombination('microsoftAuthenticatorPush, Password'),
      'password,microsoftAuthenticatorPush',
    );
    const [desired] = kind.expand(
      buildManifest(KIND, 's', {
        displayName: 'Strong',
        allowedCombinations: ['microsoftAuthenticatorPush,password', 'FIDO2', 'fido2'],
      }),
      lookup,
    );
    assert.deepEqual(desired!.state, {
      allowedCombinations: ['fido2', 'password,microsoftAuthenticatorPush'],
      description: null,
      displayName: 'Strong',
    });
  });

  it('reads built-ins as built in and custom ones with zero diff', async () => {
    const port = new FakeGraphPort();
    port.objects.set(COLLECTION, [
      {
        id: '00000000-0000-0000-0000-000000000004',
        displayName: 'Phishing resistant MFA',
        policyType: 'builtIn',
        requirementsSatisfied: 'mfa',
        allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
      },
      {
        id: 'c1',
        displayName: 'Strong',
        description: null,
        policyType: 'custom',
        requirementsSatisfied: 'mfa',
        createdDateTime: 'x',
        modifiedDateTime: 'y',
        allowedCombinations: ['password,microsoftAuthenticatorPush', 'fido2'],
      },
    ]);
    const [builtIn, custom] = await kind.read(port);
    assert.equal(builtIn!.builtIn, true);
    assert.equal(custom!.builtIn, undefined);
    const [desired] = kind.expand(
      buildManifest(KIND, 's', {
        displayName: 'Strong',
        allowedCombinations: ['fido2', 'microsoftAuthenticatorPush,password'],
      }),
      lookup,
    );
    assert.deepEqual(changesBetween(custom, desired!), []);
  });

  it('updates names by PATCH and combinations by updateAllowedCombinations, only when they differ', async () => {
    const port = new FakeGraphPort();
    port.objects.set(`${COLLECTION}/c1`, { id: 'c1', displayName: 'Old', allowedCombinations: ['fido2'] });
    const [desired] = kind.expand(
      buildManifest(KIND, 's', {
        displayName: 'New',
        description: 'd',
        allowedCombinations: ['fido2', 'password,sms'],
      }),
      lookup,
    );
    await kind.update(port, 'c1', desired!);
    assert.deepEqual(port.writes(), [
      { method: 'PATCH', path: `${COLLECTION}/c1`, body: { displayName: 'New', description: 'd' } },
      {
        method: 'POST',
        path: `${COLLECTION}/c1/updateAllowedCombinations`,
        body: { allowedCombinations: ['fido2', 'password,sms'] },
      },
    ]);
    const quiet = new FakeGraphPort();
    quiet.objects.set(`${COLLECTION}/c1`, {
      id: 'c1',
      displayName: 'New',
      allowedCombinations: ['sms,password', 'fido2'],
    });
    await kind.update(quiet, 'c1', desired!);
    assert.equal(quiet.writes().length, 1);
  });

  it('round-trips through exportSpec', () => {
    for (const spec of [
      { displayName: 'A', allowedCombinations: ['fido2'] },
      { displayName: 'B', description: 'two', allowedCombinations: ['fido2', 'password,sms'] },
    ]) {
      const [desired] = kind.expand(buildManifest(KIND, 'x', spec), lookup);
      const exported = kind.exportSpec(
        { kind: KIND, id: '1', displayName: spec.displayName, state: desired!.state },
        lookup,
      );
      assert.deepEqual(exported, spec);
      assert.deepEqual(kind.expand(buildManifest(KIND, 'x', exported), lookup)[0]!.state, desired!.state);
    }
  });
});
