import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEMO_IDS, EMERGENCY_ACCESS_GROUP, deterministicGuid, demoDirectory } from './demo.ts';
import type { DirectorySeed, SeedUser } from './seed-types.ts';
import {
  AUTHENTICATION_METHOD_MODES,
  BUILT_IN_AUTHENTICATION_STRENGTHS,
  BUILT_IN_IDENTITY_PROVIDERS,
  BUILT_IN_ROLE_TEMPLATES,
  METHOD_CONFIGURATION_TYPES,
  WELL_KNOWN_APPLICATIONS,
  defaultAuthenticationMethodConfigurations,
  findRoleTemplate,
} from './well-known.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FLAVORS = ['workforce', 'external'] as const;

function assertUnique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    assert.ok(!seen.has(v.toLowerCase()), `duplicate ${what}: ${v}`);
    seen.add(v.toLowerCase());
  }
}

function userByUpn(seed: DirectorySeed, upn: string): SeedUser | undefined {
  return seed.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
}

function resolvesToPrincipal(seed: DirectorySeed, ref: string): boolean {
  return userByUpn(seed, ref) !== undefined || seed.groups.some((g) => g.displayName === ref);
}

describe('well-known data', () => {
  it('role templates have unique GUID ids and unique names', () => {
    assert.ok(BUILT_IN_ROLE_TEMPLATES.length >= 40);
    for (const r of BUILT_IN_ROLE_TEMPLATES) {
      assert.match(r.id, GUID, r.displayName);
      assert.ok(r.description.length > 0, r.displayName);
    }
    assertUnique(
      BUILT_IN_ROLE_TEMPLATES.map((r) => r.id),
      'role id',
    );
    assertUnique(
      BUILT_IN_ROLE_TEMPLATES.map((r) => r.displayName),
      'role name',
    );
    assert.equal(findRoleTemplate('Global Administrator')?.id, '62e90394-69f5-4237-9190-012177145e10');
    assert.equal(
      findRoleTemplate('b1be1c3e-b65d-4f19-8427-f6fa0d97feb9')?.displayName,
      'Conditional Access Administrator',
    );
    assert.equal(findRoleTemplate('no such role'), undefined);
  });

  it('well-known applications have unique GUID appIds', () => {
    for (const a of WELL_KNOWN_APPLICATIONS) assert.match(a.appId, GUID, a.displayName);
    assertUnique(
      WELL_KNOWN_APPLICATIONS.map((a) => a.appId),
      'appId',
    );
    const byId = new Map(WELL_KNOWN_APPLICATIONS.map((a) => [a.appId, a]));
    assert.equal(byId.get('00000002-0000-0ff1-ce00-000000000000')?.office365, true);
    assert.equal(byId.get('c44b4083-3bb0-49c1-b47d-974e53cbdf3c')?.adminPortal, true);
    assert.notEqual(byId.get('797f4846-ba00-4fd7-ba43-dac1f8f63013')?.adminPortal, true);
  });

  it('built-in authentication strengths use only known method modes', () => {
    assert.deepEqual(
      BUILT_IN_AUTHENTICATION_STRENGTHS.map((s) => s.id),
      [
        '00000000-0000-0000-0000-000000000002',
        '00000000-0000-0000-0000-000000000003',
        '00000000-0000-0000-0000-000000000004',
      ],
    );
    for (const s of BUILT_IN_AUTHENTICATION_STRENGTHS) {
      assert.equal(s.policyType, 'builtIn');
      assert.equal(s.requirementsSatisfied, 'mfa');
      for (const combination of s.allowedCombinations) {
        for (const mode of combination.split(','))
          assert.ok(AUTHENTICATION_METHOD_MODES.includes(mode), mode);
      }
    }
  });

  it('default method configurations cover every configuration type and are fresh per call', () => {
    const configs = defaultAuthenticationMethodConfigurations();
    const ids = configs.map((c) => c['id']);
    for (const t of Object.values(METHOD_CONFIGURATION_TYPES)) {
      const c = configs.find((x) => x['id'] === t.id);
      assert.ok(c, t.id);
      assert.equal(c['@odata.type'], t.odataType);
      assert.deepEqual(c['excludeTargets'], []);
      assert.ok(Array.isArray(c['includeTargets']));
    }
    assert.equal(ids.length, Object.keys(METHOD_CONFIGURATION_TYPES).length);
    (configs[0]!['excludeTargets'] as unknown[]).push({ id: 'x', targetType: 'group' });
    assert.deepEqual(defaultAuthenticationMethodConfigurations()[0]!['excludeTargets'], []);
  });

  it('built-in identity providers', () => {
    assert.deepEqual(
      BUILT_IN_IDENTITY_PROVIDERS.map((p) => [p.id, p.identityProviderType]),
      [
        ['EmailPassword-OAUTH', 'EmailPassword'],
        ['EmailOtpSignup-OAUTH', 'EmailOTP'],
      ],
    );
  });
});

describe('deterministicGuid', () => {
  it('is stable and GUID-shaped', () => {
    assert.equal(deterministicGuid('a'), deterministicGuid('a'));
    assert.notEqual(deterministicGuid('a'), deterministicGuid('b'));
    assert.match(deterministicGuid('a'), GUID);
  });
});

for (const flavor of FLAVORS) {
  describe(`demoDirectory(${flavor})`, () => {
    const seed = demoDirectory({ flavor });

    it('is deterministic', () => {
      assert.deepEqual(demoDirectory({ flavor }), seed);
      assert.notEqual(demoDirectory({ flavor }).users, seed.users, 'each call returns fresh objects');
    });

    it('has the fixed tenant id and flavor', () => {
      assert.equal(seed.tenant.flavor, flavor);
      assert.equal(
        seed.tenant.id,
        flavor === 'workforce' ? DEMO_IDS.workforceTenantId : DEMO_IDS.externalTenantId,
      );
    });

    it('uses unique GUID ids and unique UPNs', () => {
      const ids = [
        ...seed.users.map((u) => u.id ?? ''),
        ...seed.groups.map((g) => g.id ?? ''),
        ...seed.applications.map((a) => a.appId ?? ''),
        ...seed.appRegistrations.map((a) => a.clientId ?? ''),
      ];
      for (const id of ids) assert.match(id, GUID);
      assertUnique(ids, 'object id');
      assertUnique(
        seed.users.map((u) => u.userPrincipalName),
        'UPN',
      );
      assertUnique(
        seed.groups.map((g) => g.displayName),
        'group name',
      );
      assertUnique(
        seed.applications.map((a) => a.displayName),
        'application name',
      );
    });

    it('gives every user a password exactly when password is a registered method', () => {
      for (const u of seed.users) {
        const hasPassword = (u.authenticationMethods ?? []).includes('password');
        assert.equal(u.password !== undefined, hasPassword, u.userPrincipalName);
        for (const m of u.authenticationMethods ?? []) {
          assert.ok(AUTHENTICATION_METHOD_MODES.includes(m), `${u.userPrincipalName}: ${m}`);
        }
      }
    });

    it('references only existing users and groups', () => {
      for (const g of seed.groups) {
        for (const m of g.members ?? []) assert.ok(resolvesToPrincipal(seed, m), `${g.displayName} -> ${m}`);
        assert.ok(!(g.members ?? []).includes(g.displayName), `${g.displayName} contains itself`);
      }
      for (const ra of seed.roleAssignments) {
        assert.ok(resolvesToPrincipal(seed, ra.principal), `role principal ${ra.principal}`);
      }
    });

    it('resolves every role assignment to a built-in role template', () => {
      for (const ra of seed.roleAssignments) assert.ok(findRoleTemplate(ra.role), ra.role);
      assert.ok(seed.roleAssignments.some((ra) => ra.role === 'Global Administrator'));
    });

    it('has two break-glass accounts in the emergency access group', () => {
      const group = seed.groups.find((g) => g.displayName === EMERGENCY_ACCESS_GROUP);
      assert.ok(group);
      assert.equal(group.members?.length, 2);
      for (const [i, upn] of (group.members ?? []).entries()) {
        const u = userByUpn(seed, upn);
        assert.ok(u);
        assert.equal(u.userPrincipalName, `breakglass${i + 1}@${seed.tenant.domain}`);
        assert.equal(u.displayName, `Emergency access account ${i + 1}`);
        assert.deepEqual(u.authenticationMethods, ['password', 'fido2']);
      }
    });

    it('includes every well-known application', () => {
      for (const a of WELL_KNOWN_APPLICATIONS) {
        assert.ok(
          seed.applications.some((x) => x.appId === a.appId),
          a.displayName,
        );
      }
    });

    it('has the reader and writer app registrations without secrets', () => {
      const reader = seed.appRegistrations.find((a) => a.displayName === 'accord-reader');
      const writer = seed.appRegistrations.find((a) => a.displayName === 'accord-writer');
      assert.ok(reader && writer);
      assert.equal(reader.clientSecret, undefined);
      assert.equal(writer.clientSecret, undefined);
      for (const p of reader.permissions) {
        assert.ok(!p.includes('ReadWrite') && !p.includes('Invite'), `reader must be read-only: ${p}`);
        assert.ok(writer.permissions.includes(p), `writer lacks ${p}`);
      }
      assert.ok(writer.permissions.includes('Policy.ReadWrite.ConditionalAccess'));
      assert.ok(writer.permissions.includes('Policy.ReadWrite.AuthenticationMethod'));
    });
  });
}

describe('workforce demo', () => {
  const seed = demoDirectory({ flavor: 'workforce' });
  const byType = (t: string): SeedUser[] => seed.users.filter((u) => u.externalUserType === t);

  it('is Contoso with about 40 employees across departments', () => {
    assert.equal(seed.tenant.domain, 'contoso.onmicrosoft.com');
    const employees = seed.users.filter(
      (u) => u.userType === 'Member' && !u.externalUserType && u.department,
    );
    assert.ok(employees.length >= 35 && employees.length <= 45, String(employees.length));
    assert.ok(new Set(employees.map((u) => u.department)).size >= 4);
    assert.ok(
      employees.some((u) => u.authenticationMethods?.join() === 'password'),
      'some password-only users',
    );
  });

  it('nests department groups under All employees and Helpdesk under IT', () => {
    const group = (name: string) => seed.groups.find((g) => g.displayName === name);
    for (const d of ['Engineering', 'Finance', 'Sales', 'IT']) {
      assert.ok(group('All employees')?.members?.includes(d), d);
      assert.ok((group(d)?.members?.length ?? 0) > 0, d);
    }
    assert.ok(group('IT')?.members?.includes('Helpdesk'));
  });

  it('holds the four admin roles', () => {
    for (const role of [
      'Global Administrator',
      'Conditional Access Administrator',
      'Security Administrator',
      'User Administrator',
    ]) {
      assert.ok(
        seed.roleAssignments.some((ra) => ra.role === role && !ra.principal.startsWith('breakglass')),
        role,
      );
    }
  });

  it('has every required guest kind', () => {
    const b2bGuests = byType('b2bCollaborationGuest');
    const partnerGuests = b2bGuests.filter(
      (u) =>
        u.externalUserState === 'Accepted' &&
        u.identities?.[0]?.issuer === 'ExternalAzureAD' &&
        (u.homeTenantId === DEMO_IDS.fabrikamTenantId || u.homeTenantId === DEMO_IDS.northwindTenantId),
    );
    assert.ok(partnerGuests.length >= 3);
    for (const u of partnerGuests) {
      assert.equal(u.userType, 'Guest');
      assert.equal(u.creationType, 'Invitation');
      assert.match(
        u.userPrincipalName,
        /^[a-z.]+_(fabrikam\.com|northwindtraders\.com)#EXT#@contoso\.onmicrosoft\.com$/,
      );
    }
    assert.ok(
      b2bGuests.some((u) => u.identities?.[0]?.issuer === 'MicrosoftAccount'),
      'Microsoft account guest',
    );
    assert.ok(
      b2bGuests.some((u) => u.identities?.[0]?.issuer === 'mail'),
      'email OTP guest',
    );
    assert.ok(
      seed.users.some((u) => u.externalUserState === 'PendingAcceptance' && u.creationType === 'Invitation'),
      'pending invitation',
    );

    const [b2bMember] = byType('b2bCollaborationMember');
    assert.ok(b2bMember);
    assert.equal(b2bMember.userType, 'Member');
    assert.equal(b2bMember.identities?.[0]?.issuer, 'ExternalAzureAD');

    const [internalGuest] = byType('internalGuest');
    assert.ok(internalGuest);
    assert.equal(internalGuest.userType, 'Guest');
    assert.ok(!internalGuest.userPrincipalName.includes('#EXT#'));
    assert.ok(internalGuest.identities?.every((i) => i.issuer === seed.tenant.domain));

    const [provider] = byType('serviceProvider');
    assert.ok(provider);
    const csp = seed.externalTenants.find((t) => t.tenantId === provider.homeTenantId);
    assert.equal(csp?.isServiceProvider, true);
  });

  it('knows the partner tenants of its guests', () => {
    const tenantIds = new Set(seed.externalTenants.map((t) => t.tenantId));
    for (const u of seed.users) {
      if (u.homeTenantId) assert.ok(tenantIds.has(u.homeTenantId), u.userPrincipalName);
    }
    assert.deepEqual(
      seed.externalTenants.map((t) => t.domain),
      ['fabrikam.com', 'northwindtraders.com', 'adatum.com'],
    );
  });

  it('has the two line-of-business apps', () => {
    const lob = seed.applications.filter((a) => a.displayName.startsWith('Contoso '));
    assert.deepEqual(lob.map((a) => a.displayName).sort(), ['Contoso Expenses', 'Contoso HR Portal']);
  });

  it('honours a custom domain', () => {
    const custom = demoDirectory({ flavor: 'workforce', domain: 'fabrikamdemo.onmicrosoft.com' });
    assert.equal(custom.tenant.domain, 'fabrikamdemo.onmicrosoft.com');
    assert.ok(custom.users.every((u) => u.userPrincipalName.endsWith('@fabrikamdemo.onmicrosoft.com')));
    assert.ok(custom.users.some((u) => u.userPrincipalName === 'breakglass1@fabrikamdemo.onmicrosoft.com'));
  });
});

describe('external demo', () => {
  const seed = demoDirectory({ flavor: 'external' });

  it('is Woodgrove customers', () => {
    assert.equal(seed.tenant.displayName, 'Woodgrove customers');
    assert.equal(seed.tenant.domain, 'woodgrovecustomers.onmicrosoft.com');
    assert.deepEqual(seed.externalTenants, []);
  });

  it('has local-account customers split between the two sign-up methods', () => {
    const customers = seed.users.filter((u) => u.creationType === 'LocalAccount');
    assert.ok(customers.length >= 18 && customers.length <= 22, String(customers.length));
    for (const c of customers) {
      assert.equal(c.userType, 'Member');
      assert.deepEqual(c.identities, [
        { signInType: 'emailAddress', issuer: seed.tenant.domain, issuerAssignedId: c.mail },
      ]);
    }
    const members = (name: string) => seed.groups.find((g) => g.displayName === name)?.members ?? [];
    const password = members('Password customers');
    const passcode = members('Passcode customers');
    assert.equal(password.length + passcode.length, customers.length);
    assert.equal(password.length, passcode.length);
    for (const upn of passcode) assert.deepEqual(userByUpn(seed, upn)?.authenticationMethods, ['email']);
    for (const upn of password) assert.ok(userByUpn(seed, upn)?.authenticationMethods?.includes('password'));
  });

  it('has the two admins', () => {
    assert.deepEqual(
      seed.roleAssignments.filter((ra) => !ra.principal.startsWith('breakglass')).map((ra) => ra.role),
      ['Global Administrator', 'External ID User Flow Administrator'],
    );
  });

  it('links each user flow to an existing app', () => {
    assert.deepEqual(
      seed.userFlows.map((f) => [f.displayName, f.localAccountMethod]),
      [
        ['Sign up and sign in (password)', 'emailPassword'],
        ['Sign up and sign in (passcode)', 'emailOtp'],
      ],
    );
    const linked: string[] = [];
    for (const flow of seed.userFlows) {
      for (const ref of flow.applications ?? []) {
        const app = seed.applications.find((a) => a.appId === ref || a.displayName === ref);
        assert.ok(app, `${flow.displayName} -> ${ref}`);
        linked.push(app.displayName);
      }
    }
    assert.deepEqual(linked, ['Woodgrove Groceries', 'accord demo app', 'Woodgrove Rewards']);
  });
});
