/** Requests and assignments the reference-audit case tables share (ca-evaluation.md, rule by rule). */
import { appContext, request, userSignIn, type Json } from './case-builders.ts';
import { APPS, USERS } from './demo-identities.ts';

export const member = userSignIn(USERS.member);
export const to = (...appIds: string[]) => request(member, appContext(...appIds));
export const withConditions = (conditions: Json) => request(member, appContext(APPS.expenses), conditions);
export const as = (userId: string, extra: Json = {}) =>
  request(userSignIn(userId, extra), appContext(APPS.expenses));
export const users = (u: Json) => ({ users: u });
export const apps = (a: Json) => ({ applications: a });
export const userAction = (action: string) =>
  request(member, { '@odata.type': '#microsoft.graph.userActionContext', userAction: action });
export const authContext = (value: string) =>
  request(member, { '@odata.type': '#microsoft.graph.authContext', authenticationContextValue: value });

export const guests = (types: string, tenants?: string[]) => ({
  guestOrExternalUserTypes: types,
  externalTenants: tenants
    ? {
        '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
        membershipKind: 'enumerated',
        members: tenants,
      }
    : { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
});
