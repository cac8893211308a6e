/** Object ids of the demo directory (`src/tenant/seed/demo.ts`) the What-If cases sign in as and target. */
import {
  DEFAULT_WORKFORCE_DOMAIN,
  DEMO_IDS,
  deterministicGuid,
  EMERGENCY_ACCESS_GROUP,
} from '../../src/tenant/seed/demo.ts';
import { stableGuid } from '../../src/tenant/seed/guid.ts';
import { findRoleTemplate } from '../../src/tenant/seed/well-known.ts';

const domain = DEFAULT_WORKFORCE_DOMAIN;
const member = (local: string): string => deterministicGuid(`user:${local}@${domain}`);
const guest = (email: string): string => deterministicGuid(`user:${email.replace('@', '_')}#EXT#@${domain}`);
const role = (name: string): string => findRoleTemplate(name)!.id;

export const USERS = {
  member: member('liam.foster'),
  sales: member('jack.murphy'),
  globalAdmin: member('olivia.bennett'),
  caAdmin: member('marcus.chen'),
  helpdesk: member('julia.santos'),
  breakGlass1: member('breakglass1'),
  breakGlass2: member('breakglass2'),
  fabrikamGuest: guest('lena.fischer@fabrikam.com'),
  northwindGuest: guest('priya.sharma@northwindtraders.com'),
  b2bMember: guest('ingrid.larsen@fabrikam.com'),
  msaGuest: guest('sam.taylor@outlook.com'),
  otpGuest: guest('jamie.rivera@tailspintoys.com'),
  pendingGuest: guest('owen.price@northwindtraders.com'),
  serviceProvider: guest('raj.iyer@adatum.com'),
  internalGuest: member('eva.morales'),
} as const;

export const GROUPS = {
  breakGlass: deterministicGuid(`group:${EMERGENCY_ACCESS_GROUP}`),
  allEmployees: deterministicGuid('group:All employees'),
  engineering: deterministicGuid('group:Engineering'),
  it: deterministicGuid('group:IT'),
  helpdesk: deterministicGuid('group:Helpdesk'),
  sales: deterministicGuid('group:Sales'),
  guests: deterministicGuid('group:Guests'),
  phoenix: deterministicGuid('group:Project Phoenix'),
} as const;

export const ROLES = {
  globalAdmin: role('Global Administrator'),
  caAdmin: role('Conditional Access Administrator'),
  helpdeskAdmin: role('Helpdesk Administrator'),
  securityAdmin: role('Security Administrator'),
  globalReader: role('Global Reader'),
} as const;

export const TENANTS = {
  home: DEMO_IDS.workforceTenantId,
  fabrikam: DEMO_IDS.fabrikamTenantId,
  northwind: DEMO_IDS.northwindTenantId,
  adatum: DEMO_IDS.adatumTenantId,
} as const;

export const APPS = {
  azureManagement: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
  exchange: '00000002-0000-0ff1-ce00-000000000000',
  sharePoint: '00000003-0000-0ff1-ce00-000000000000',
  teams: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  azurePortal: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
  graph: '00000003-0000-0000-c000-000000000000',
  expenses: DEMO_IDS.contosoExpensesAppId,
  hrPortal: DEMO_IDS.contosoHrPortalAppId,
} as const;

/** Service principal object ids (`directory-seed.ts`: `stableGuid(tenant:sp:appId)`). */
export const SERVICE_PRINCIPALS = {
  expenses: stableGuid(`${TENANTS.home}:sp:${APPS.expenses}`),
  hrPortal: stableGuid(`${TENANTS.home}:sp:${APPS.hrPortal}`),
} as const;
