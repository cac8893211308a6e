/**
 * The What-If engine's vocabulary (ca-evaluation.md; graph-contract §9): what it is given (tenant state and a
 * simulated sign-in) and what it answers (per policy, applies or the first failing condition; combined, the
 * decision, the report-only outcomes and the merged session controls). Pure data: no functions but the two
 * directory lookups, so a compiled engine can share every type.
 */

/** A Conditional Access policy in its canonical Graph form (`conditionalAccessPolicy`, as GET returns it). */
export type PolicyDocument = Readonly<Record<string, unknown>>;

/** A named location in its Graph form (`ipNamedLocation` / `countryNamedLocation`, with `@odata.type`). */
export type NamedLocationDocument = Readonly<Record<string, unknown>>;

export interface AuthenticationStrength {
  id: string;
  displayName: string;
  /** Each item a comma-joined combination of `authenticationMethodModes`, e.g. `password,sms`. */
  allowedCombinations: readonly string[];
}

/** Graph's `conditionalAccessGuestOrExternalUserTypes` members (ca-evaluation §2.3). */
export type ExternalUserType =
  | 'internalGuest'
  | 'b2bCollaborationGuest'
  | 'b2bCollaborationMember'
  | 'b2bDirectConnectUser'
  | 'otherExternalUser'
  | 'serviceProvider';

/** What the engine needs to know about a user (the directory's answer, not the sign-in's claims). */
export interface UserView {
  id: string;
  userType: 'Member' | 'Guest';
  /** Every group the user belongs to, directly or through nesting. */
  transitiveGroupIds: readonly string[];
  /** Template ids of the built-in roles actively assigned at directory scope (directly or via a group). */
  activeRoleTemplateIds: readonly string[];
  /** `undefined` for a member of this tenant. */
  externalUserType?: ExternalUserType;
  homeTenantId?: string;
}

/** Custom security attributes: attribute set → attribute → value(s). Only string values are usable in filters. */
export type CustomSecurityAttributes = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface ServicePrincipalView {
  id: string;
  appId: string;
  /** Registered in this tenant only (not a multi-tenant third-party app, not a managed identity). */
  isSingleTenant: boolean;
  customSecurityAttributes: CustomSecurityAttributes;
}

/** Lookups into the tenant's directory; implementations index as they like. */
export interface DirectoryView {
  findUser(id: string): UserView | undefined;
  /** By object id or appId. */
  findServicePrincipal(idOrAppId: string): ServicePrincipalView | undefined;
}

/** Which resource appIds the CA app groups cover. */
export interface ApplicationCatalogue {
  office365AppIds: readonly string[];
  adminPortalAppIds: readonly string[];
  /** Targeting the Windows Azure Service Management API covers these (the API itself among them). */
  azureManagementAppIds: readonly string[];
}

export interface WhatIfTenant {
  tenantId: string;
  policies: readonly PolicyDocument[];
  namedLocations: readonly NamedLocationDocument[];
  authenticationStrengths: readonly AuthenticationStrength[];
  directory: DirectoryView;
  applications: ApplicationCatalogue;
  /** The legacy per-user-MFA "trusted IPs" (pseudo location `00000000-…`), IPv4 CIDRs. */
  legacyTrustedIps?: readonly string[];
}

export type SignInIdentity =
  | { kind: 'user'; userId: string; externalTenantId?: string; externalUserType?: ExternalUserType }
  | { kind: 'servicePrincipal'; servicePrincipalId: string };

export type UserAction = 'registerSecurityInformation' | 'registerOrJoinDevices';

export type SignInContext =
  | { kind: 'application'; includeApplications: readonly string[] }
  | { kind: 'userAction'; userAction: UserAction }
  | { kind: 'authContext'; authenticationContextValue: string };

/** `deviceInfo` of the What-If request: the attributes a device filter can test. */
export type DeviceInfo = Readonly<Record<string, string | boolean | readonly string[] | null | undefined>>;

export interface SignInConditions {
  devicePlatform?: string;
  clientAppType?: string;
  signInRiskLevel?: string;
  userRiskLevel?: string;
  servicePrincipalRiskLevel?: string;
  insiderRiskLevel?: string;
  country?: string;
  ipAddress?: string;
  authenticationFlow?: { transferMethod?: string };
  deviceInfo?: DeviceInfo;
}

export interface SignIn {
  identity: SignInIdentity;
  context: SignInContext;
  conditions: SignInConditions;
}

/** Graph's `whatIfAnalysisReasons`, one value per result (ca-evaluation §5.1, §6 #9). */
export type AnalysisReason =
  | 'notSet'
  | 'notEnoughInformation'
  | 'invalidCondition'
  | 'users'
  | 'workloadIdentities'
  | 'application'
  | 'userActions'
  | 'authenticationContext'
  | 'devicePlatform'
  | 'devices'
  | 'clientApps'
  | 'location'
  | 'signInRisk'
  | 'emptyPolicy'
  | 'invalidPolicy'
  | 'policyNotEnabled'
  | 'userRisk'
  | 'time'
  | 'insiderRisk'
  | 'authenticationFlow';

/** A decision the engine took where the reference is ambiguous (docs/adr/0006-what-if-ambiguities.md). */
export interface WhatIfNote {
  code: NoteCode;
  message: string;
}

export type NoteCode =
  | 'unknownPlatform'
  | 'unknownClientApp'
  | 'missingDeviceInfoAsUnregistered'
  | 'missingDeviceInfo'
  | 'countryInputPreferred'
  | 'unknownCountry'
  | 'missingLocationInput'
  | 'allResourcesOnAuthContext'
  | 'allResourcesOnUserAction'
  | 'appGroupNameAsInput'
  | 'legacyGuestsOrExternalUsers'
  | 'directConnectNotInAll'
  | 'servicePrincipalRiskReason'
  | 'unknownUser'
  | 'legacyClientCannotSatisfy'
  | 'sessionControlMerge'
  | 'registrationStrengthPrecedence'
  | 'invalidCombination'
  | 'deviceCodeFlowDeviceState';

/** Sign-in log style result of one policy (CSDL `appliedConditionalAccessPolicyResult`), plus `interrupted`. */
export type PolicyResult =
  | 'notEnabled'
  | 'notApplied'
  | 'success'
  | 'failure'
  | 'interrupted'
  | 'reportOnlyNotApplied'
  | 'reportOnlySuccess'
  | 'reportOnlyFailure'
  | 'reportOnlyInterrupted';

export type PolicyState = 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';

export interface PolicyEvaluation {
  policyId: string;
  displayName: string;
  state: PolicyState;
  policyApplies: boolean;
  analysisReasons: AnalysisReason;
  result: PolicyResult;
  notes: WhatIfNote[];
}

/** One control of a grant, in the order Entra prompts for them (ca-evaluation §4.1). */
export type GrantControl =
  | { kind: 'builtIn'; control: string }
  | {
      kind: 'authenticationStrength';
      id: string;
      displayName: string;
      allowedCombinations: readonly string[];
    }
  | { kind: 'termsOfUse'; id: string }
  | { kind: 'customFactor'; id: string };

export interface GrantRequirement {
  policyId: string;
  displayName: string;
  operator: 'AND' | 'OR';
  controls: GrantControl[];
}

export interface PolicyRef {
  policyId: string;
  displayName: string;
}

export type Decision =
  | { kind: 'blocked'; cause: 'blockControl' | 'legacyClient'; blockingPolicies: PolicyRef[] }
  | { kind: 'granted' }
  | { kind: 'interrupted'; requirements: GrantRequirement[] };

export interface SessionContribution {
  policyId: string;
  value: unknown;
}

/** The session controls in force after merging every applying enabled policy (§4.2), with contributors. */
export interface MergedSessionControls {
  controls: {
    signInFrequency: Readonly<Record<string, unknown>> | null;
    persistentBrowser: Readonly<Record<string, unknown>> | null;
    cloudAppSecurity: Readonly<Record<string, unknown>> | null;
    applicationEnforcedRestrictions: boolean;
    secureSignInSession: boolean;
    disableResilienceDefaults: boolean;
  };
  contributors: Record<string, SessionContribution[]>;
}

export interface WhatIfResult {
  policies: PolicyEvaluation[];
  decision: Decision;
  sessionControls: MergedSessionControls;
  /** Every distinct note of the policies, plus sign-in level ones. */
  notes: WhatIfNote[];
}

/** What the user has already done in the simulated session (for `evaluateWithSession`). */
export interface SessionState {
  mfaDone?: boolean;
  methodsUsed?: readonly string[];
  deviceCompliant?: boolean;
  hybridJoined?: boolean;
  approvedApp?: boolean;
  appProtection?: boolean;
  passwordChanged?: boolean;
  termsAccepted?: readonly string[];
  customFactors?: readonly string[];
}

export interface SessionOutcome extends WhatIfResult {
  granted: boolean;
  /** Requirements of enforced policies not met by the session (empty when granted or blocked). */
  unmet: GrantRequirement[];
}

/** Choices on the reference's open questions; the defaults are the ones recorded in ADR 0006. */
export interface WhatIfOptions {
  /** §2.5 / §6 #7: do All-resources policies apply to an authentication-context sign-in? (default true) */
  allResourcesIncludeAuthContext?: boolean;
  /** §2.10 / §6 #6: missing `deviceInfo` with a device filter (default 'unregistered'). */
  missingDeviceInfo?: 'unregistered' | 'notEnoughInformation';
}
