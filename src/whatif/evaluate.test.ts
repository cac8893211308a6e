import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILT_IN_STRENGTHS } from './built-in-strengths.ts';
import { createDirectoryView } from './directory-view.ts';
import { evaluateSignIn, evaluateWithSession } from './evaluate.ts';
import type { PolicyDocument, SignIn, WhatIfTenant } from './types.ts';
import { defaultApplicationCatalogue } from './well-known-apps.ts';

const USER = { id: 'u1', userType: 'Member' as const, transitiveGroupIds: ['g1'], activeRoleTemplateIds: [] };

function policy(id: string, extra: Record<string, unknown> = {}): PolicyDocument {
  return {
    id,
    displayName: id,
    state: 'enabled',
    conditions: {
      users: { includeUsers: ['All'] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    sessionControls: null,
    ...extra,
  };
}

function tenant(...policies: PolicyDocument[]): WhatIfTenant {
  return {
    tenantId: 't1',
    policies,
    namedLocations: [],
    authenticationStrengths: BUILT_IN_STRENGTHS,
    directory: createDirectoryView([USER]),
    applications: defaultApplicationCatalogue(),
  };
}

const signIn: SignIn = {
  identity: { kind: 'user', userId: 'u1' },
  context: { kind: 'application', includeApplications: ['app-1'] },
  conditions: {},
};

describe('evaluateWithSession (§4.1)', () => {
  it('MFA is met by mfaDone or by an MFA method combination', () => {
    const t = tenant(policy('mfa'));
    assert.equal(evaluateWithSession(t, signIn, {}).granted, false);
    assert.equal(evaluateWithSession(t, signIn, { mfaDone: true }).granted, true);
    assert.equal(evaluateWithSession(t, signIn, { methodsUsed: ['password', 'sms'] }).granted, true);
    assert.equal(evaluateWithSession(t, signIn, { methodsUsed: ['email'] }).granted, false);
  });
  it('authentication strengths need an allowed combination', () => {
    const grantControls = {
      operator: 'OR',
      builtInControls: [],
      authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' },
    };
    const t = tenant(policy('strong', { grantControls }));
    assert.equal(
      evaluateWithSession(t, signIn, { mfaDone: true, methodsUsed: ['password', 'sms'] }).granted,
      false,
    );
    assert.equal(evaluateWithSession(t, signIn, { methodsUsed: ['fido2'] }).granted, true);
  });
  it('AND lists only the unmet controls; OR any one', () => {
    const and = tenant(
      policy('and', {
        grantControls: {
          operator: 'AND',
          builtInControls: ['mfa', 'compliantDevice'],
          termsOfUse: ['tou-1'],
        },
      }),
    );
    const outcome = evaluateWithSession(and, signIn, { mfaDone: true, termsAccepted: ['TOU-1'] });
    assert.deepEqual(outcome.unmet[0]!.controls, [{ kind: 'builtIn', control: 'compliantDevice' }]);
    assert.equal(outcome.policies[0]!.result, 'failure');
    const or = tenant(
      policy('or', {
        grantControls: {
          operator: 'OR',
          builtInControls: ['compliantDevice'],
          customAuthenticationFactors: ['duo'],
        },
      }),
    );
    assert.equal(evaluateWithSession(or, signIn, { customFactors: ['duo'] }).granted, true);
  });
  it('report-only results are reported, never enforced (§3)', () => {
    const t = tenant(
      policy('ro-block', {
        state: 'enabledForReportingButNotEnforced',
        grantControls: { operator: 'OR', builtInControls: ['block'] },
      }),
      policy('ro-mfa', { state: 'enabledForReportingButNotEnforced' }),
      policy('ro-none', {
        state: 'enabledForReportingButNotEnforced',
        conditions: {
          users: { includeUsers: ['None'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
        },
      }),
    );
    const result = evaluateWithSession(t, signIn, {});
    assert.deepEqual(
      result.policies.map((p) => p.result),
      ['reportOnlyFailure', 'reportOnlyInterrupted', 'reportOnlyNotApplied'],
    );
    assert.equal(result.granted, true);
    assert.equal(evaluateWithSession(t, signIn, { mfaDone: true }).policies[1]!.result, 'reportOnlySuccess');
  });
});

describe('session controls (§4.2)', () => {
  it('merges conservatively and names contributors', () => {
    const sif = (value: number, type: string) => ({
      signInFrequency: { isEnabled: true, value, type, frequencyInterval: 'timeBased' },
    });
    const t = tenant(
      policy('a', {
        sessionControls: { ...sif(1, 'days'), persistentBrowser: { isEnabled: true, mode: 'always' } },
      }),
      policy('b', {
        sessionControls: {
          ...sif(8, 'hours'),
          persistentBrowser: { isEnabled: true, mode: 'never' },
          cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'monitorOnly' },
        },
      }),
      policy('c', {
        sessionControls: {
          cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'blockDownloads' },
          disableResilienceDefaults: true,
        },
      }),
    );
    const { controls, contributors } = evaluateSignIn(t, signIn).sessionControls;
    assert.equal(controls.signInFrequency?.value, 8);
    assert.equal(controls.persistentBrowser?.mode, 'never');
    assert.equal(controls.cloudAppSecurity?.cloudAppSecurityType, 'blockDownloads');
    assert.equal(controls.disableResilienceDefaults, true);
    assert.deepEqual(
      contributors.signInFrequency!.map((c) => c.policyId),
      ['a', 'b'],
    );
  });
});

describe('policy-level reasons and notes (§5.3)', () => {
  it('reports emptyPolicy, invalidPolicy and the notes of ambiguous choices', () => {
    const t = tenant(
      policy('empty', { grantControls: null }),
      policy('dangling', { grantControls: { operator: 'OR', authenticationStrength: { id: 'missing' } } }),
      policy('platform', {
        conditions: {
          users: { includeUsers: ['All'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
          platforms: { includePlatforms: ['iOS'], excludePlatforms: [] },
        },
      }),
    );
    const result = evaluateSignIn(t, signIn);
    assert.deepEqual(
      result.policies.map((p) => p.analysisReasons),
      ['emptyPolicy', 'invalidPolicy', 'notEnoughInformation'],
    );
    assert.deepEqual(
      result.notes.map((n) => n.code),
      ['unknownPlatform'],
    );
  });
  it('makes the missing-deviceInfo choice configurable', () => {
    const devices = { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True' } };
    const t = tenant(
      policy('device', {
        conditions: {
          users: { includeUsers: ['All'] },
          applications: { includeApplications: ['All'] },
          clientAppTypes: ['all'],
          devices,
        },
      }),
    );
    assert.equal(evaluateSignIn(t, signIn).policies[0]!.analysisReasons, 'notSet');
    assert.equal(
      evaluateSignIn(t, signIn, { missingDeviceInfo: 'notEnoughInformation' }).policies[0]!.analysisReasons,
      'notEnoughInformation',
    );
  });
});
