/** The directory reader asks Graph only about the signing-in user and the target app, never the whole directory. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchItem, GraphBody, GraphPort } from '../../src/core/graph-port.ts';
import { DirectoryReader } from '../../src/whatif-app/directory-reader.ts';
import { parsePolicyTests } from '../../src/whatif-app/scenario-file.ts';

const TENANT = '11111111-1111-1111-1111-111111111111';
const USER = {
  id: 'u1',
  userPrincipalName: 'guest_x#EXT#@c.test',
  userType: 'Guest',
  creationType: 'Invitation',
  identities: [{ issuer: 'ExternalAzureAD' }],
};

function fakePort(paths: string[]): GraphPort {
  const fail = (): never => {
    throw new Error('unexpected write');
  };
  return {
    get: async (path) => {
      paths.push(path);
      if (path.startsWith('/users/guest_x%23EXT%23%40c.test?')) return USER;
      if (path.startsWith("/servicePrincipals(appId='")) return undefined;
      return undefined;
    },
    list: async (path): Promise<GraphBody[]> => {
      paths.push(path);
      if (path.startsWith('/users/u1/transitiveMemberOf'))
        return [
          {
            '@odata.type': '#microsoft.graph.group',
            id: 'g1',
            displayName: 'Admins',
            isAssignableToRole: true,
          },
          { '@odata.type': '#microsoft.graph.group', id: 'g2', isAssignableToRole: false },
        ];
      if (path.startsWith('/servicePrincipals?$filter=displayName'))
        return [
          {
            id: 's1',
            appId: 'a1',
            displayName: 'App',
            appOwnerOrganizationId: TENANT,
            servicePrincipalType: 'Application',
          },
        ];
      return [];
    },
    batch: async (items: readonly BatchItem[]) => {
      paths.push(...items.map((i) => `batch ${i.path}`));
      return items.map((i) => ({
        status: 200,
        body: {
          value: i.path.includes("'g1'")
            ? [{ principalId: 'g1', roleDefinitionId: 'R1', directoryScopeId: '/' }]
            : [],
        },
      }));
    },
    post: fail,
    patch: fail,
    delete: fail,
  };
}

describe('DirectoryReader', () => {
  it('reads one user, its groups and the role assignments of it and its role-assignable groups', async () => {
    const paths: string[] = [];
    const reader = new DirectoryReader(fakePort(paths), TENANT);
    const found = await reader.findUser('guest_x#EXT#@c.test');
    assert.ok(found.ok);
    assert.equal(found.value.view.externalUserType, 'b2bCollaborationGuest');
    assert.deepEqual(found.value.view.transitiveGroupIds, ['g1', 'g2']);
    assert.deepEqual(found.value.view.activeRoleTemplateIds, ['r1']);
    await reader.findUser('GUEST_X#EXT#@c.test');
    assert.equal(reader.requests, 3);
    assert.ok(!paths.some((p) => p.startsWith('/users?') || p === '/users'));
    assert.ok(!paths.some((p) => p.includes("'g2'")));
    assert.equal(reader.names.get('g1'), 'Admins');
  });

  it('finds an application by name and says clearly when there is none', async () => {
    const reader = new DirectoryReader(fakePort([]), TENANT);
    const app = await reader.findServicePrincipal('App', 'application');
    assert.ok(app.ok && app.value.view.isSingleTenant);
    const view = await reader.view();
    assert.equal(view.findServicePrincipal('a1')?.id, 's1');
    const missing = await reader.findServicePrincipal('00000000-0000-0000-0000-000000000009', 'application');
    assert.deepEqual(missing, {
      ok: false,
      message:
        "no application '00000000-0000-0000-0000-000000000009' in the tenant (give an appId or display name)",
    });
  });

  it('finds a user by display name when no userPrincipalName or id matches, and refuses an ambiguous one', async () => {
    const paths: string[] = [];
    const people: Record<string, GraphBody[]> = {
      'Adele Vance': [{ id: 'u2', userPrincipalName: 'adele@c.test', userType: 'Member' }],
      'Alex Wilber': [
        { id: 'u3', userPrincipalName: 'alex@c.test', userType: 'Member' },
        { id: 'u4', userPrincipalName: 'alex.w@c.test', userType: 'Member' },
      ],
    };
    const port = fakePort(paths);
    const list = port.list;
    port.list = async (path) => {
      const filter = new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('$filter') ?? '';
      const name = /^displayName eq '(.*)'$/.exec(filter)?.[1];
      if (path.startsWith('/users?') && name !== undefined) {
        paths.push(path);
        return people[name] ?? [];
      }
      return list(path);
    };
    const reader = new DirectoryReader(port, TENANT);
    const adele = await reader.findUser('Adele Vance');
    assert.ok(adele.ok);
    assert.equal(adele.value.userPrincipalName, 'adele@c.test');
    assert.equal(adele.value.view.id, 'u2');
    assert.deepEqual(await reader.findUser('Alex Wilber'), {
      ok: false,
      message: "2 users are named 'Alex Wilber' (alex@c.test, alex.w@c.test): give the userPrincipalName",
    });
    assert.deepEqual(await reader.findUser('Nobody'), {
      ok: false,
      message: "no user 'Nobody' in the tenant (give a userPrincipalName, display name or id)",
    });
    // A UPN or an id that does not exist is not looked up again by display name.
    const before = paths.length;
    assert.equal((await reader.findUser('ghost@c.test')).ok, false);
    assert.equal(paths.slice(before).filter((p) => p.startsWith('/users?')).length, 0);
  });

  it('encodes a name with query-string characters into the filter', async () => {
    const paths: string[] = [];
    await new DirectoryReader(fakePort(paths), TENANT).findServicePrincipal(
      "R&D O'Brien + Co",
      'application',
    );
    const [query] = paths;
    assert.ok(query);
    const params = new URLSearchParams(query.slice(query.indexOf('?') + 1));
    assert.equal(params.get('$filter'), "displayName eq 'R&D O''Brien + Co'");
    assert.ok(params.get('$select'));
  });
});

describe('parsePolicyTests', () => {
  it('accepts the documented format', () => {
    const text =
      'apiVersion: accord.dev/v1alpha1\nkind: PolicyTest\nmetadata: { name: t }\nspec:\n  scenarios:\n    - name: s\n      signIn: { user: u, application: a, device: { isCompliant: true } }\n      expect: { outcome: blocked, blockedBy: [p] }\n';
    const loaded = parsePolicyTests('t.yaml', text);
    assert.deepEqual(loaded.diagnostics, []);
    assert.deepEqual(loaded.files[0]!.scenarios[0]!.signIn, {
      user: 'u',
      application: 'a',
      device: { isCompliant: true },
    });
    assert.equal(loaded.files[0]!.scenarios[0]!.location.line, 6);
  });

  it('reports unknown fields, bad values and a missing context with their lines', () => {
    const text =
      'apiVersion: accord.dev/v1alpha1\nkind: PolicyTest\nmetadata: { name: t, labels: {} }\nspec:\n  scenarios:\n    - name: s\n      signIn:\n        user: u\n        clientApp: fax\n      expect: { requires: mfa }\n';
    const summaries = parsePolicyTests('t.yaml', text).diagnostics.map(
      (d) => `${d.location?.line}: ${d.summary}`,
    );
    assert.deepEqual(summaries, [
      "3: unknown field 'labels'",
      '7: give exactly one of signIn.application, signIn.userAction, signIn.authenticationContext',
      "9: signIn.clientApp must be one of all, browser, mobileAppsAndDesktopClients, exchangeActiveSync, easSupported, other (got 'fax')",
      "10: 'requires' must be a list of strings",
    ]);
  });

  it('says which field is missing rather than that it has the wrong type', () => {
    const text =
      'apiVersion: accord.dev/v1alpha1\nkind: PolicyTest\nmetadata: { name: t }\nspec:\n  scenarios:\n    - expect: { outcome: granted }\n    - name: no sign-in\n      expect: { outcome: granted }\n    - name: a list\n      signIn: [user]\n      expect: { outcome: granted }\n';
    const diagnostics = parsePolicyTests('t.yaml', text).diagnostics;
    assert.deepEqual(
      diagnostics.map((d) => `${d.location?.line}: ${d.summary}`),
      [
        "6: missing field 'name' (a non-empty string)",
        "6: missing field 'signIn' (a mapping)",
        "7: missing field 'signIn' (a mapping)",
        "10: 'signIn' must be a mapping",
      ],
    );
    assert.match(diagnostics[1]!.detail!, /exactly one of user \/ servicePrincipal/);
  });

  it('refuses a device attribute that device filters do not know, at the device line', () => {
    const text =
      'apiVersion: accord.dev/v1alpha1\nkind: PolicyTest\nmetadata: { name: t }\nspec:\n  scenarios:\n    - name: s\n      signIn:\n        user: u\n        application: a\n        device: { TrustType: AzureAD, ownership: Company, extensionAttribute7: x, compliant: true }\n      expect: { outcome: granted }\n';
    const summaries = parsePolicyTests('t.yaml', text).diagnostics.map(
      (d) => `${d.location?.line}: ${d.summary}`,
    );
    assert.equal(summaries.length, 1);
    assert.match(summaries[0]!, /^10: signIn.device has no attribute 'compliant' \(device filters know /);
  });
});
