/**
 * What-If cases for authentication strengths when a user registers security information (ca-evaluation §4.1:
 * "for the register security info interrupt, strengths on that user action take precedence over strengths on
 * All-resources policies, other controls still apply"; several user-action strengths must all be met). The
 * engine's reading (docs/adr/0008-impact-analysis.md): the All-resources policy's strength control is replaced by
 * the user action's, visible as the `registrationStrengthPrecedence` note.
 */
import { appContext, policy, request, userSignIn, type Json, type WhatIfCase } from './case-builders.ts';
import { APPS, USERS } from './demo-identities.ts';

const RULE =
  '§4.1 register security info: user-action strengths take precedence over All-resources strengths';
const MFA_STRENGTH = { id: '00000000-0000-0000-0000-000000000002', name: 'Multifactor authentication' };
const PASSWORDLESS = { id: '00000000-0000-0000-0000-000000000003', name: 'Passwordless MFA' };
const PHISHING_RESISTANT = { id: '00000000-0000-0000-0000-000000000004', name: 'Phishing resistant MFA' };

const member = userSignIn(USERS.member);
const action = (userAction: string) =>
  request(member, { '@odata.type': '#microsoft.graph.userActionContext', userAction }, {});
const register = action('registerSecurityInformation');
const REGISTER_URN = 'urn:user:registersecurityinfo';

function strengthGrant(operator: 'AND' | 'OR', strength: { id: string }, ...builtInControls: string[]): Json {
  return { operator, builtInControls, authenticationStrength: { id: strength.id } };
}

/** A policy on the register-security-information user action requiring `strength`. */
function onRegistration(name: string, strength: { id: string }, extra: Json = {}, state = 'enabled'): Json {
  return policy(
    name,
    { applications: { includeUserActions: [REGISTER_URN] }, ...extra },
    { state, grant: strengthGrant('OR', strength) },
  );
}

/** A policy over All resources with the given grant. */
const onAllResources = (name: string, grant: Json, state = 'enabled'): Json =>
  policy(name, {}, { state, grant });

const ALL_ON_ACTION = 'allResourcesOnUserAction' as const;
const PRECEDENCE = 'registrationStrengthPrecedence' as const;

export const REGISTRATION_CASES: WhatIfCase[] = [
  {
    name: 'registration strength replaces the All-resources strength',
    rule: RULE,
    policies: [
      onRegistration('Register', MFA_STRENGTH),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT)),
    ],
    request: register,
    expect: { Register: 'notSet', Everything: 'notSet' },
    decision: 'interrupted',
    requirements: { Register: [MFA_STRENGTH.name], Everything: [MFA_STRENGTH.name] },
    notes: { Register: [], Everything: [ALL_ON_ACTION, PRECEDENCE] },
  },
  {
    name: 'a temporary access pass registers although All resources want phishing-resistant MFA',
    rule: `${RULE} (the documented Temporary Access Pass bootstrap)`,
    policies: [
      onRegistration('Register', MFA_STRENGTH),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT)),
    ],
    request: register,
    expect: { Register: 'notSet', Everything: 'notSet' },
    session: { state: { methodsUsed: ['temporaryAccessPassOneTime'] }, granted: true },
  },
  {
    name: 'the same pass does not reach an app behind phishing-resistant MFA',
    rule: `${RULE} (only for the user action)`,
    policies: [
      onRegistration('Register', MFA_STRENGTH),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT)),
    ],
    request: request(member, appContext(APPS.expenses)),
    expect: { Register: 'application', Everything: 'notSet' },
    requirements: { Everything: [PHISHING_RESISTANT.name] },
    notes: { Everything: [] },
    session: { state: { methodsUsed: ['temporaryAccessPassOneTime'] }, granted: false },
  },
  {
    name: 'other controls of the All-resources policy still apply',
    rule: `${RULE}; other controls still apply`,
    policies: [
      onRegistration('Register', MFA_STRENGTH),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT, 'compliantDevice')),
    ],
    request: register,
    expect: { Register: 'notSet', Everything: 'notSet' },
    requirements: { Register: [MFA_STRENGTH.name], Everything: [MFA_STRENGTH.name, 'compliantDevice'] },
    notes: { Everything: [ALL_ON_ACTION, PRECEDENCE] },
    session: { state: { methodsUsed: ['temporaryAccessPassOneTime'] }, granted: false },
  },
  {
    name: 'an OR grant is met by the registration strength',
    rule: `${RULE}; operator OR`,
    policies: [
      onRegistration('Register', MFA_STRENGTH),
      onAllResources('Everything', strengthGrant('OR', PHISHING_RESISTANT, 'compliantDevice')),
    ],
    request: register,
    expect: { Register: 'notSet', Everything: 'notSet' },
    requirements: { Register: [MFA_STRENGTH.name], Everything: [MFA_STRENGTH.name, 'compliantDevice'] },
    notes: { Everything: [ALL_ON_ACTION, PRECEDENCE] },
    session: { state: { methodsUsed: ['password', 'sms'] }, granted: true },
  },
  {
    name: 'several registration strengths must all be met',
    rule: `${RULE}; several user-action strengths all apply`,
    policies: [
      onRegistration('Register A', MFA_STRENGTH),
      onRegistration('Register B', PASSWORDLESS),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT)),
    ],
    request: register,
    expect: { 'Register A': 'notSet', 'Register B': 'notSet', Everything: 'notSet' },
    requirements: {
      'Register A': [MFA_STRENGTH.name],
      'Register B': [PASSWORDLESS.name],
      Everything: [`${MFA_STRENGTH.name} and ${PASSWORDLESS.name}`],
    },
    notes: { Everything: [ALL_ON_ACTION, PRECEDENCE] },
    session: { state: { methodsUsed: ['deviceBasedPush'] }, granted: true },
  },
  {
    name: 'a plain MFA control on All resources is not a strength',
    rule: `${RULE} (only the authentication strength control gives way)`,
    policies: [
      onRegistration('Register', PASSWORDLESS),
      onAllResources('Everything', { operator: 'OR', builtInControls: ['mfa'] }),
    ],
    request: register,
    expect: { Register: 'notSet', Everything: 'notSet' },
    requirements: { Register: [PASSWORDLESS.name], Everything: ['mfa'] },
    notes: { Everything: [ALL_ON_ACTION] },
  },
  {
    name: 'a registration policy requiring plain MFA takes no precedence',
    rule: `${RULE} (only a user-action strength takes precedence)`,
    policies: [
      policy('Register', { applications: { includeUserActions: [REGISTER_URN] } }),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT)),
    ],
    request: register,
    expect: { Register: 'notSet', Everything: 'notSet' },
    requirements: { Register: ['mfa'], Everything: [PHISHING_RESISTANT.name] },
    notes: { Everything: [ALL_ON_ACTION] },
  },
  {
    name: 'registering a device is not registering security information',
    rule: `${RULE} (registerSecurityInformation only)`,
    policies: [
      onRegistration('Register', MFA_STRENGTH),
      policy('Register device', { applications: { includeUserActions: ['urn:user:registerdevice'] } }),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT)),
    ],
    request: action('registerOrJoinDevices'),
    expect: { Register: 'userActions', 'Register device': 'notSet', Everything: 'notSet' },
    requirements: { 'Register device': ['mfa'], Everything: [PHISHING_RESISTANT.name] },
    notes: { Everything: [ALL_ON_ACTION] },
  },
  {
    name: 'a disabled registration policy takes no precedence',
    rule: `${RULE} (enforced user-action policies only)`,
    policies: [
      onRegistration('Register', MFA_STRENGTH, {}, 'disabled'),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT)),
    ],
    request: register,
    expect: { Register: 'policyNotEnabled', Everything: 'notSet' },
    requirements: { Everything: [PHISHING_RESISTANT.name] },
    notes: { Everything: [ALL_ON_ACTION] },
  },
  {
    name: 'a registration policy that excludes the user takes no precedence',
    rule: `${RULE} (applying user-action policies only)`,
    policies: [
      onRegistration('Register', MFA_STRENGTH, {
        users: { includeUsers: ['All'], excludeUsers: [USERS.member] },
      }),
      onAllResources('Everything', strengthGrant('AND', PHISHING_RESISTANT)),
    ],
    request: register,
    expect: { Register: 'users', Everything: 'notSet' },
    requirements: { Everything: [PHISHING_RESISTANT.name] },
    notes: { Everything: [ALL_ON_ACTION] },
  },
  {
    name: 'a report-only All-resources strength gives way too, and still decides nothing',
    rule: `${RULE}; §3 report-only`,
    policies: [
      onRegistration('Register', MFA_STRENGTH),
      onAllResources(
        'Everything',
        strengthGrant('AND', PHISHING_RESISTANT),
        'enabledForReportingButNotEnforced',
      ),
    ],
    request: register,
    expect: { Register: 'notSet', Everything: 'notSet' },
    requirements: { Register: [MFA_STRENGTH.name] },
    notes: { Everything: [ALL_ON_ACTION, PRECEDENCE] },
  },
];
