/** Every Graph route the local tenant serves: one line per resource module. Order matters only where a literal
 * segment would otherwise be taken for an id (modules list their literal routes first). */
import type { Route } from '../graph-types.ts';
import { authContextsRoutes } from './auth-contexts.ts';
import { authMethodsRoutes } from './auth-methods.ts';
import { authStrengthsRoutes } from './auth-strengths.ts';
import { batchRoutes } from './batch.ts';
import { caPoliciesRoutes } from './ca-policies.ts';
import { caTemplatesRoutes } from './ca-templates.ts';
import { crossTenantRoutes } from './cross-tenant.ts';
import { deletedItemsRoutes } from './deleted-items.ts';
import { evaluateRoutes } from './evaluate.ts';
import { groupsRoutes } from './groups.ts';
import { invitationsRoutes } from './invitations.ts';
import { namedLocationsRoutes } from './named-locations.ts';
import { rolesRoutes } from './roles.ts';
import { servicePrincipalsRoutes } from './service-principals.ts';
import { signInsRoutes } from './sign-ins.ts';
import { userFlowProviderRoutes } from './user-flow-providers.ts';
import { userFlowsRoutes } from './user-flows.ts';
import { usersRoutes } from './users.ts';

export const ALL_ROUTES: readonly Route[] = [
  ...batchRoutes,
  ...deletedItemsRoutes,
  ...caPoliciesRoutes,
  ...caTemplatesRoutes,
  ...authContextsRoutes,
  ...evaluateRoutes,
  ...namedLocationsRoutes,
  ...authStrengthsRoutes,
  ...authMethodsRoutes,
  ...crossTenantRoutes,
  ...usersRoutes,
  ...groupsRoutes,
  ...rolesRoutes,
  ...servicePrincipalsRoutes,
  ...invitationsRoutes,
  ...userFlowProviderRoutes,
  ...userFlowsRoutes,
  ...signInsRoutes,
];
