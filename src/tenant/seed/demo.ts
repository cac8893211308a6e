/**
 * Demo organisations for the local Graph-compatible tenant: a workforce tenant ("Contoso") and an
 * External ID customer tenant ("Woodgrove customers"). Pure, deterministic data: two calls with the
 * same options return deep-equal seeds, and every object id is derived from a stable name.
 */
import { createHash } from 'node:crypto';

import type {
  DirectorySeed,
  SeedAppRegistration,
  SeedApplication,
  SeedExternalTenant,
  SeedGroup,
  SeedRoleAssignment,
  SeedUser,
} from './seed-types.ts';
import { WELL_KNOWN_APPLICATIONS } from './well-known.ts';
import { DEMO_APP_ID, demoAppApplication } from '../signin/settings.ts';

export type { DirectorySeed } from './seed-types.ts';

/** Password of every demo account that has one (stored as a scrypt hash; docs/sign-in.md). */
export const DEMO_PASSWORD = 'Passw0rd!';

/** Fixed ids used by the demo organisations. */
export const DEMO_IDS = {
  workforceTenantId: '8c3d2f6e-1b4a-4c5d-9e7f-0a1b2c3d4e5f',
  externalTenantId: '5e1a9b7c-3d2f-4a6b-8c9d-0e1f2a3b4c5d',
  fabrikamTenantId: '31078164-0094-4507-b2db-9329ec36efbc',
  northwindTenantId: 'adad71ad-7511-4382-b100-08fee40e1c2a',
  adatumTenantId: '6488908d-e269-44c0-b295-a71c3e5c4b57',
  contosoExpensesAppId: '6096f889-e545-4b76-8bc4-11bb814463cd',
  contosoHrPortalAppId: '28e3674e-9604-4d52-bbd9-f8a56b0bc00a',
  woodgroveGroceriesAppId: 'd7ece9ac-8e23-448f-a497-0c403460c0a1',
  woodgroveRewardsAppId: '7e7e727f-85c0-4560-8ddc-9be6fb9bea38',
  accordReaderClientId: '4e231887-6e89-40ff-96da-24b32ee6af85',
  accordWriterClientId: 'b81de264-23b1-4e84-8590-34cd50c2f583',
  externalAccordReaderClientId: '0b4bc7e5-948d-41df-8297-87fc99c008f0',
  externalAccordWriterClientId: '70cd3b2b-503a-42fa-8b47-61925d36df31',
} as const;

export const DEFAULT_WORKFORCE_DOMAIN = 'contoso.onmicrosoft.com';
export const DEFAULT_EXTERNAL_DOMAIN = 'woodgrovecustomers.onmicrosoft.com';

/** Name of the group holding the break-glass accounts (both flavors). */
export const EMERGENCY_ACCESS_GROUP = 'Emergency access accounts';

/**
 * A GUID derived from `name` (SHA-1, formatted like an RFC 4122 version-5 UUID).
 * The same name always yields the same GUID.
 */
export function deterministicGuid(name: string): string {
  const b = createHash('sha1').update(`accord-seed:${name}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const READER_PERMISSIONS = [
  'Policy.Read.All',
  'User.Read.All',
  'Group.Read.All',
  'GroupMember.Read.All',
  'Application.Read.All',
  'RoleManagement.Read.Directory',
  'Directory.Read.All',
  'Policy.Read.ConditionalAccess',
  'AuditLog.Read.All',
];

const WRITER_EXTRA_PERMISSIONS = [
  'Policy.ReadWrite.ConditionalAccess',
  'Policy.ReadWrite.AuthenticationMethod',
  'Policy.ReadWrite.CrossTenantAccess',
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'RoleManagement.ReadWrite.Directory',
  'User.Invite.All',
  'EventListener.ReadWrite.All',
  'Directory.ReadWrite.All',
];

const MFA = ['password', 'microsoftAuthenticatorPush'];
const PASSWORD_ONLY = ['password'];

/** The reconciler's app registrations (clientIds differ per flavor: registrations belong to one tenant). */
function appRegistrations(flavor: 'workforce' | 'external'): SeedAppRegistration[] {
  const external = flavor === 'external';
  return [
    {
      clientId: external ? DEMO_IDS.externalAccordReaderClientId : DEMO_IDS.accordReaderClientId,
      displayName: 'accord-reader',
      permissions: [...READER_PERMISSIONS],
    },
    {
      clientId: external ? DEMO_IDS.externalAccordWriterClientId : DEMO_IDS.accordWriterClientId,
      displayName: 'accord-writer',
      permissions: [...READER_PERMISSIONS, ...WRITER_EXTRA_PERMISSIONS],
    },
  ];
}

function wellKnownApplications(): SeedApplication[] {
  return WELL_KNOWN_APPLICATIONS.map((a) => ({
    appId: a.appId,
    displayName: a.displayName,
    servicePrincipalType: 'Application',
    tags: [],
  }));
}

function lineOfBusinessApp(appId: string, displayName: string, sensitivity: string): SeedApplication {
  return {
    appId,
    displayName,
    servicePrincipalType: 'Application',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    customSecurityAttributes: { AppSecurity: { Sensitivity: sensitivity } },
  };
}

function securityGroup(displayName: string, description: string, members: string[]): SeedGroup {
  return {
    id: deterministicGuid(`group:${displayName}`),
    displayName,
    description,
    mailNickname: displayName.replace(/[^A-Za-z0-9]/g, ''),
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    members,
  };
}

function localIdentity(upn: string, domain: string): SeedUser['identities'] {
  return [{ signInType: 'userPrincipalName', issuer: domain, issuerAssignedId: upn }];
}

/** A cloud-only member account of the tenant itself. */
function member(
  domain: string,
  givenName: string,
  surname: string,
  extra: Partial<SeedUser> & { local?: string } = {},
): SeedUser {
  const { local, ...rest } = extra;
  const localPart = local ?? `${givenName}.${surname}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
  const upn = `${localPart}@${domain}`;
  const methods = rest.authenticationMethods ?? MFA;
  return {
    id: deterministicGuid(`user:${upn}`),
    userPrincipalName: upn,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail: upn,
    userType: 'Member',
    accountEnabled: true,
    creationType: null,
    externalUserState: null,
    identities: localIdentity(upn, domain),
    homeTenantId: null,
    ...rest,
    authenticationMethods: [...methods],
    ...(methods.includes('password') ? { password: DEMO_PASSWORD } : {}),
  };
}

function breakGlassAccounts(domain: string): SeedUser[] {
  return [1, 2].map((n) => {
    const upn = `breakglass${n}@${domain}`;
    return {
      id: deterministicGuid(`user:${upn}`),
      userPrincipalName: upn,
      displayName: `Emergency access account ${n}`,
      mail: null,
      userType: 'Member',
      accountEnabled: true,
      creationType: null,
      externalUserState: null,
      identities: localIdentity(upn, domain),
      homeTenantId: null,
      authenticationMethods: ['password', 'fido2'],
      password: DEMO_PASSWORD,
    };
  });
}

interface ExternalPerson {
  givenName: string;
  surname: string;
  email: string;
  jobTitle?: string;
}

/** An invited B2B user (`first.last_domain#EXT#@tenant`). */
function invited(
  domain: string,
  person: ExternalPerson,
  opts: {
    userType: 'Member' | 'Guest';
    externalUserType: string;
    issuer: string;
    homeTenantId: string | null;
    methods: string[];
    pending?: boolean;
  },
): SeedUser {
  const [local = '', emailDomain = ''] = person.email.split('@');
  const upn = `${local}_${emailDomain}#EXT#@${domain}`;
  const identities = opts.pending
    ? localIdentity(upn, domain) // before redemption the identity still shows the host tenant
    : [{ signInType: 'federated', issuer: opts.issuer, issuerAssignedId: person.email }];
  return {
    id: deterministicGuid(`user:${upn}`),
    userPrincipalName: upn,
    displayName: `${person.givenName} ${person.surname}`,
    givenName: person.givenName,
    surname: person.surname,
    ...(person.jobTitle ? { jobTitle: person.jobTitle } : {}),
    mail: person.email,
    userType: opts.userType,
    accountEnabled: true,
    creationType: 'Invitation',
    externalUserState: opts.pending ? 'PendingAcceptance' : 'Accepted',
    identities,
    homeTenantId: opts.pending ? null : opts.homeTenantId,
    externalUserType: opts.externalUserType,
    authenticationMethods: [...opts.methods],
    ...(opts.methods.includes('password') ? { password: DEMO_PASSWORD } : {}),
  };
}

type EmployeeRow = [givenName: string, surname: string, jobTitle: string, methods?: string[]];

const EMPLOYEES: Record<string, EmployeeRow[]> = {
  Engineering: [
    ['Liam', 'Foster', 'Principal Software Engineer'],
    ['Sofia', 'Alvarez', 'Senior Software Engineer'],
    ['Ethan', 'Brooks', 'Software Engineer'],
    ['Mei', 'Lin', 'Software Engineer'],
    ['Arjun', 'Patel', 'Site Reliability Engineer'],
    ['Grace', 'Kim', 'Engineering Manager'],
    ['Lucas', 'Moreau', 'QA Engineer'],
    ['Hannah', 'Schmidt', 'Data Engineer'],
    ['Omar', 'Haddad', 'DevOps Engineer', ['password', 'microsoftAuthenticatorPush', 'fido2']],
    ['Chloe', 'Dubois', 'Product Manager'],
    ['Ryan', 'Walsh', 'Frontend Engineer'],
    ['Yuki', 'Tanaka', 'Mobile Engineer', ['password', 'microsoftAuthenticatorPush', 'softwareOath']],
  ],
  Sales: [
    ['Isabella', 'Rossi', 'VP of Sales'],
    ['Jack', 'Murphy', 'Account Executive', ['password', 'sms']],
    ['Fatima', 'Rahman', 'Account Executive'],
    ['Noah', 'Johansson', 'Sales Development Representative'],
    ['Emily', 'Carter', 'Sales Engineer'],
    ['Diego', 'Fernandez', 'Regional Sales Manager', ['password', 'microsoftAuthenticatorPush', 'sms']],
    ['Zoe', 'Martin', 'Customer Success Manager', PASSWORD_ONLY],
    ['Benjamin', 'Wright', 'Account Manager'],
  ],
  Finance: [
    ['Charlotte', 'Hughes', 'Chief Financial Officer'],
    ['Henry', 'Adams', 'Financial Analyst'],
    ['Amelia', 'Clarke', 'Accountant'],
    ['Samuel', 'Lee', 'Payroll Specialist', PASSWORD_ONLY],
    ['Nora', 'Jensen', 'Financial Controller'],
    ['Victor', 'Nguyen', 'Accounts Payable Specialist', PASSWORD_ONLY],
  ],
  IT: [
    ['Olivia', 'Bennett', 'IT Director', ['password', 'microsoftAuthenticatorPush', 'fido2']],
    ['Marcus', 'Chen', 'Identity and Access Engineer', ['password', 'microsoftAuthenticatorPush', 'fido2']],
    [
      'Aisha',
      'Khan',
      'Security Engineer',
      ['password', 'microsoftAuthenticatorPush', 'windowsHelloForBusiness'],
    ],
    ['Daniel', 'Okafor', 'IT Operations Lead'],
    ['Tomas', 'Novak', 'Systems Administrator'],
    ['Julia', 'Santos', 'Service Desk Analyst'],
    ['Kevin', 'Brown', 'Service Desk Analyst'],
  ],
  HR: [
    ['Laura', 'Bianchi', 'HR Director'],
    ['Peter', 'Olsen', 'HR Business Partner'],
    ['Ines', 'Costa', 'Talent Acquisition Specialist'],
    ['Sara', 'Lindqvist', 'HR Coordinator'],
  ],
  Marketing: [
    ['Ava', 'Mitchell', 'Marketing Director'],
    ['Leo', 'Garcia', 'Content Strategist', PASSWORD_ONLY],
    ['Maya', 'Singh', 'Digital Marketing Specialist'],
  ],
};

const HELPDESK = new Set(['Julia Santos', 'Kevin Brown']);

function upnOf(users: SeedUser[], displayName: string): string {
  const u = users.find((x) => x.displayName === displayName);
  if (!u) throw new Error(`demo seed: no user named ${displayName}`);
  return u.userPrincipalName;
}

function workforceDirectory(domain: string): DirectorySeed {
  const employees: SeedUser[] = [];
  for (const [department, rows] of Object.entries(EMPLOYEES)) {
    for (const [givenName, surname, jobTitle, methods] of rows) {
      employees.push(
        member(domain, givenName, surname, {
          jobTitle,
          department,
          ...(methods ? { authenticationMethods: methods } : {}),
        }),
      );
    }
  }
  // A leaver whose account is disabled but not yet deleted.
  const leaver = employees.find((u) => u.displayName === 'Ryan Walsh');
  if (leaver) leaver.accountEnabled = false;

  const breakGlass = breakGlassAccounts(domain);

  const fabrikam = 'fabrikam.com';
  const northwind = 'northwindtraders.com';
  const aadGuest = (person: ExternalPerson, homeTenantId: string): SeedUser =>
    invited(domain, person, {
      userType: 'Guest',
      externalUserType: 'b2bCollaborationGuest',
      issuer: 'ExternalAzureAD',
      homeTenantId,
      methods: MFA,
    });
  const guests: SeedUser[] = [
    aadGuest(
      {
        givenName: 'Lena',
        surname: 'Fischer',
        email: `lena.fischer@${fabrikam}`,
        jobTitle: 'Partner Solutions Architect',
      },
      DEMO_IDS.fabrikamTenantId,
    ),
    aadGuest(
      { givenName: 'Tobias', surname: 'Wagner', email: `tobias.wagner@${fabrikam}`, jobTitle: 'Consultant' },
      DEMO_IDS.fabrikamTenantId,
    ),
    aadGuest(
      {
        givenName: 'Priya',
        surname: 'Sharma',
        email: `priya.sharma@${northwind}`,
        jobTitle: 'Supply Chain Manager',
      },
      DEMO_IDS.northwindTenantId,
    ),
    aadGuest(
      { givenName: 'George', surname: 'Evans', email: `george.evans@${northwind}`, jobTitle: 'Buyer' },
      DEMO_IDS.northwindTenantId,
    ),
    // B2B collaboration *member*: external identity, but userType Member.
    invited(
      domain,
      {
        givenName: 'Ingrid',
        surname: 'Larsen',
        email: `ingrid.larsen@${fabrikam}`,
        jobTitle: 'Project Lead',
      },
      {
        userType: 'Member',
        externalUserType: 'b2bCollaborationMember',
        issuer: 'ExternalAzureAD',
        homeTenantId: DEMO_IDS.fabrikamTenantId,
        methods: MFA,
      },
    ),
    // Guest with a personal Microsoft account.
    invited(
      domain,
      {
        givenName: 'Sam',
        surname: 'Taylor',
        email: 'sam.taylor@outlook.com',
        jobTitle: 'Freelance Designer',
      },
      {
        userType: 'Guest',
        externalUserType: 'b2bCollaborationGuest',
        issuer: 'MicrosoftAccount',
        homeTenantId: null,
        methods: PASSWORD_ONLY,
      },
    ),
    // Guest redeemed with email one-time passcode (no account anywhere else).
    invited(
      domain,
      {
        givenName: 'Jamie',
        surname: 'Rivera',
        email: 'jamie.rivera@tailspintoys.com',
        jobTitle: 'Event Planner',
      },
      {
        userType: 'Guest',
        externalUserType: 'b2bCollaborationGuest',
        issuer: 'mail',
        homeTenantId: null,
        methods: ['email'],
      },
    ),
    // Invitation sent but not yet redeemed.
    invited(
      domain,
      { givenName: 'Owen', surname: 'Price', email: `owen.price@${northwind}` },
      {
        userType: 'Guest',
        externalUserType: 'b2bCollaborationGuest',
        issuer: 'ExternalAzureAD',
        homeTenantId: DEMO_IDS.northwindTenantId,
        methods: [],
        pending: true,
      },
    ),
    // Technician of the CSP partner that manages the tenant.
    invited(
      domain,
      { givenName: 'Raj', surname: 'Iyer', email: 'raj.iyer@adatum.com', jobTitle: 'Cloud Support Engineer' },
      {
        userType: 'Guest',
        externalUserType: 'serviceProvider',
        issuer: 'ExternalAzureAD',
        homeTenantId: DEMO_IDS.adatumTenantId,
        methods: MFA,
      },
    ),
  ];
  // Local guest: credentials in this directory, but userType Guest.
  const internalGuest = member(domain, 'Eva', 'Morales', {
    userType: 'Guest',
    jobTitle: 'Contractor',
    department: 'Marketing',
    externalUserType: 'internalGuest',
  });

  const users = [...employees, ...breakGlass, ...guests, internalGuest];

  const byDepartment = (department: string, exclude: Set<string> = new Set()): string[] =>
    employees
      .filter((u) => u.department === department && !exclude.has(u.displayName))
      .map((u) => u.userPrincipalName);

  const departments = Object.keys(EMPLOYEES);
  const groups: SeedGroup[] = [
    securityGroup('All employees', 'Every Contoso employee (nested department groups)', [...departments]),
    securityGroup('Engineering', 'Engineering department', byDepartment('Engineering')),
    securityGroup('Sales', 'Sales department', byDepartment('Sales')),
    securityGroup('Finance', 'Finance department', byDepartment('Finance')),
    securityGroup('IT', 'IT department (includes Helpdesk)', [...byDepartment('IT', HELPDESK), 'Helpdesk']),
    securityGroup(
      'Helpdesk',
      'Service desk analysts',
      [...HELPDESK].map((n) => upnOf(employees, n)),
    ),
    securityGroup('HR', 'Human resources department', byDepartment('HR')),
    securityGroup('Marketing', 'Marketing department', byDepartment('Marketing')),
    securityGroup(
      EMERGENCY_ACCESS_GROUP,
      'Break-glass accounts; exclude from every Conditional Access policy',
      breakGlass.map((u) => u.userPrincipalName),
    ),
    securityGroup(
      'Guests',
      'Guest users invited to Contoso',
      users.filter((u) => u.userType === 'Guest').map((u) => u.userPrincipalName),
    ),
    {
      id: deterministicGuid('group:Project Phoenix'),
      displayName: 'Project Phoenix',
      description: 'Joint project with Fabrikam',
      mailNickname: 'ProjectPhoenix',
      securityEnabled: false,
      mailEnabled: true,
      groupTypes: ['Unified'],
      members: [
        upnOf(employees, 'Grace Kim'),
        upnOf(employees, 'Liam Foster'),
        upnOf(employees, 'Chloe Dubois'),
        upnOf(guests, 'Lena Fischer'),
        upnOf(guests, 'Ingrid Larsen'),
      ],
    },
  ];

  const roleAssignments: SeedRoleAssignment[] = [
    { role: 'Global Administrator', principal: upnOf(employees, 'Olivia Bennett') },
    { role: 'Conditional Access Administrator', principal: upnOf(employees, 'Marcus Chen') },
    { role: 'Security Administrator', principal: upnOf(employees, 'Aisha Khan') },
    { role: 'User Administrator', principal: upnOf(employees, 'Daniel Okafor') },
    { role: 'Global Reader', principal: upnOf(employees, 'Tomas Novak') },
    { role: 'Helpdesk Administrator', principal: 'Helpdesk' },
    ...breakGlass.map((u) => ({ role: 'Global Administrator', principal: u.userPrincipalName })),
  ];

  const externalTenants: SeedExternalTenant[] = [
    { tenantId: DEMO_IDS.fabrikamTenantId, displayName: 'Fabrikam', domain: fabrikam },
    // Northwind asks its own people for MFA at every sign-in (the simulated home organisation of its guests).
    {
      tenantId: DEMO_IDS.northwindTenantId,
      displayName: 'Northwind Traders',
      domain: northwind,
      requiresMfa: true,
    },
    {
      tenantId: DEMO_IDS.adatumTenantId,
      displayName: 'Adatum Managed Services',
      domain: 'adatum.com',
      isServiceProvider: true,
    },
  ];

  return {
    tenant: { id: DEMO_IDS.workforceTenantId, displayName: 'Contoso', domain, flavor: 'workforce' },
    users,
    groups,
    roleAssignments,
    applications: [
      ...wellKnownApplications(),
      lineOfBusinessApp(DEMO_IDS.contosoExpensesAppId, 'Contoso Expenses', 'Medium'),
      lineOfBusinessApp(DEMO_IDS.contosoHrPortalAppId, 'Contoso HR Portal', 'High'),
      demoAppApplication(),
    ],
    appRegistrations: appRegistrations('workforce'),
    externalTenants,
    userFlows: [],
  };
}

type CustomerRow = [givenName: string, surname: string, email: string];

const PASSWORD_CUSTOMERS: CustomerRow[] = [
  ['Ava', 'Thompson', 'ava.thompson@example.com'],
  ['Ben', 'Harris', 'ben.harris@example.net'],
  ['Clara', 'Young', 'clara.young@example.org'],
  ['David', 'Park', 'david.park@example.com'],
  ['Elena', 'Petrova', 'elena.petrova@example.net'],
  ['Felix', 'Wong', 'felix.wong@example.org'],
  ['Gabriela', 'Silva', 'gabriela.silva@example.com'],
  ['Hugo', 'Lambert', 'hugo.lambert@example.net'],
  ['Isla', 'Campbell', 'isla.campbell@example.org'],
  ['Jonas', 'Weber', 'jonas.weber@example.com'],
];

const PASSCODE_CUSTOMERS: CustomerRow[] = [
  ['Kira', 'Nakamura', 'kira.nakamura@example.net'],
  ['Leon', 'Dupont', 'leon.dupont@example.org'],
  ['Mia', 'Novak', 'mia.novak@example.com'],
  ['Nathan', 'Reed', 'nathan.reed@example.net'],
  ['Olga', 'Ivanova', 'olga.ivanova@example.org'],
  ['Pablo', 'Ortiz', 'pablo.ortiz@example.com'],
  ['Quinn', 'Foley', 'quinn.foley@example.net'],
  ['Rosa', 'Marino', 'rosa.marino@example.org'],
  ['Sven', 'Karlsson', 'sven.karlsson@example.com'],
  ['Tara', 'Byrne', 'tara.byrne@example.net'],
];

/** A customer created by self-service sign-up (UPN local part = object id, as in customer tenants). */
function customer(domain: string, [givenName, surname, email]: CustomerRow, methods: string[]): SeedUser {
  const id = deterministicGuid(`customer:${email}`);
  return {
    id,
    userPrincipalName: `${id}@${domain}`,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail: email,
    userType: 'Member',
    accountEnabled: true,
    creationType: 'LocalAccount',
    externalUserState: null,
    identities: [{ signInType: 'emailAddress', issuer: domain, issuerAssignedId: email }],
    homeTenantId: null,
    authenticationMethods: [...methods],
    ...(methods.includes('password') ? { password: DEMO_PASSWORD } : {}),
  };
}

function externalDirectory(domain: string): DirectorySeed {
  const admins = [
    member(domain, 'Riya', 'Desai', { jobTitle: 'Identity Platform Owner', department: 'IT' }),
    member(domain, 'Carlos', 'Mendes', { jobTitle: 'Customer Identity Engineer', department: 'IT' }),
  ];
  const breakGlass = breakGlassAccounts(domain);
  // Password customers: every other one also registered email OTP as a second factor.
  const passwordCustomers = PASSWORD_CUSTOMERS.map((row, i) =>
    customer(domain, row, i % 2 === 0 ? ['password', 'email'] : ['password']),
  );
  const passcodeCustomers = PASSCODE_CUSTOMERS.map((row) => customer(domain, row, ['email']));

  return {
    tenant: { id: DEMO_IDS.externalTenantId, displayName: 'Woodgrove customers', domain, flavor: 'external' },
    users: [...admins, ...breakGlass, ...passwordCustomers, ...passcodeCustomers],
    groups: [
      securityGroup(
        EMERGENCY_ACCESS_GROUP,
        'Break-glass accounts; exclude from every Conditional Access policy',
        breakGlass.map((u) => u.userPrincipalName),
      ),
      securityGroup(
        'Password customers',
        'Customers who signed up through "Sign up and sign in (password)"',
        passwordCustomers.map((u) => u.userPrincipalName),
      ),
      securityGroup(
        'Passcode customers',
        'Customers who signed up through "Sign up and sign in (passcode)"',
        passcodeCustomers.map((u) => u.userPrincipalName),
      ),
    ],
    roleAssignments: [
      { role: 'Global Administrator', principal: upnOf(admins, 'Riya Desai') },
      { role: 'External ID User Flow Administrator', principal: upnOf(admins, 'Carlos Mendes') },
      ...breakGlass.map((u) => ({ role: 'Global Administrator', principal: u.userPrincipalName })),
    ],
    applications: [
      ...wellKnownApplications(),
      lineOfBusinessApp(DEMO_IDS.woodgroveGroceriesAppId, 'Woodgrove Groceries', 'Medium'),
      lineOfBusinessApp(DEMO_IDS.woodgroveRewardsAppId, 'Woodgrove Rewards', 'Low'),
      demoAppApplication(),
    ],
    appRegistrations: appRegistrations('external'),
    externalTenants: [],
    userFlows: [
      {
        displayName: 'Sign up and sign in (password)',
        localAccountMethod: 'emailPassword',
        applications: [DEMO_IDS.woodgroveGroceriesAppId, DEMO_APP_ID],
      },
      {
        displayName: 'Sign up and sign in (passcode)',
        localAccountMethod: 'emailOtp',
        applications: [DEMO_IDS.woodgroveRewardsAppId],
      },
    ],
  };
}

/**
 * The demo directory for a flavor. Named locations and Conditional Access policies are deliberately
 * left out: they are what accord reconciles, so the demo tenant starts without them.
 */
export function demoDirectory(options: { flavor: 'workforce' | 'external'; domain?: string }): DirectorySeed {
  if (options.flavor === 'external') {
    return externalDirectory((options.domain ?? DEFAULT_EXTERNAL_DOMAIN).toLowerCase());
  }
  return workforceDirectory((options.domain ?? DEFAULT_WORKFORCE_DOMAIN).toLowerCase());
}
