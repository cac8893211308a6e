/**
 * Sign-in impact of a plan (DESIGN §5): what it is given — the tenant's and the desired state's policies,
 * the directory's users, the applications and contexts to try — and what it answers, as JSON-able data that the
 * text and Markdown renderings read.
 */
import type { Context, TargetApp } from '../guard/sign-in-matrix.ts';
import type {
  ApplicationCatalogue,
  AuthenticationStrength,
  ExternalUserType,
  NamedLocationDocument,
  PolicyDocument,
  ServicePrincipalView,
  UserView,
} from '../whatif/types.ts';

export type { Context as ImpactContext, TargetApp as ImpactApp } from '../guard/sign-in-matrix.ts';

/** One side of the comparison: the policies and the objects they name. */
export interface ImpactState {
  policies: readonly PolicyDocument[];
  namedLocations?: readonly NamedLocationDocument[];
  /** Default: the three built-in strengths. */
  authenticationStrengths?: readonly AuthenticationStrength[];
}

export interface ImpactUser extends UserView {
  userPrincipalName?: string;
}

export interface ImpactDirectory {
  users: readonly ImpactUser[];
  /** For application filters (custom security attributes of the target apps). */
  servicePrincipals?: readonly ServicePrincipalView[];
}

export interface ImpactInput {
  tenantId: string;
  before: ImpactState;
  after: ImpactState;
  directory: ImpactDirectory;
  /** Default: the apps either side's policies name, plus Graph, Exchange Online and the admin portals. */
  applications?: readonly TargetApp[];
  /** Default: every client type × platform × trusted / untrusted location (the lockout guard's matrix). */
  contexts?: readonly Context[];
  /** Break-glass accounts (ids or userPrincipalNames) and groups (ids): reported on their own. */
  breakGlass?: { users?: readonly string[]; groups?: readonly string[] };
  catalogue?: ApplicationCatalogue;
  /** Evaluate every user on its own instead of once per equivalence class (benchmarks, cross-checks). */
  perUser?: boolean;
}

export type UserKind = 'member' | ExternalUserType;

export type ImpactChangeKind = 'newlyBlocked' | 'noLongerBlocked' | 'newlyRequires' | 'noLongerRequires';

export interface ImpactChange {
  kind: ImpactChangeKind;
  /** The requirement gained or lost (`MFA`, `MFA or a compliant device`…), for the `…Requires` kinds. */
  requirement?: string;
  application: TargetApp;
  /** Users affected in at least one context. */
  users: number;
  byUserKind: Partial<Record<UserKind, number>>;
  breakGlassUsers: number;
  /** Labels of the contexts in which it changes. */
  contexts: string[];
  /** A few of the users (userPrincipalName, else id). */
  examples: string[];
  /** One sentence, e.g. "37 B2B collaboration guests newly require MFA for Windows Azure Service Management API". */
  summary: string;
}

export interface ImpactReport {
  directory: { users: number; equivalenceClasses: number; breakGlassAccounts: number };
  applications: number;
  contexts: number;
  evaluations: {
    /** Sign-ins evaluated (per equivalence class), each side. */
    performed: number;
    /** Sign-ins they stand for (per user). */
    represented: number;
  };
  totals: { usersAffected: number; usersNewlyBlocked: number; usersNoLongerBlocked: number };
  breakGlass: { accounts: number; affected: number; changes: string[] };
  /** Largest first. */
  changes: ImpactChange[];
  /** Interpretation notes the reader needs (legacy clients, capped signatures). */
  notes: string[];
}
