import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphRequestError } from '../core/graph-port.ts';
import { silentLogger } from '../log/log-port.ts';
import { KubeError, type KubeRest } from './kube/kube-rest.ts';
import type { TenantResource } from './resources.ts';
import { CredentialsError, TenantSessions, isCredentialFailure } from './tenant-session.ts';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const SECRET_VALUE = 's3cr3t-value-that-must-never-show';

interface FakeSecret {
  resourceVersion: string;
  data: Record<string, string>;
}

/** Secrets by `namespace/name`; a missing one answers 404, one named `forbidden` 403. */
function fakeRest(secrets: Map<string, FakeSecret>): KubeRest & { reads: number } {
  const rest = {
    reads: 0,
    get(path: string) {
      rest.reads += 1;
      const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(path);
      if (!match) return Promise.reject(new Error(`unexpected GET ${path}`));
      if (match[2] === 'forbidden') return Promise.reject(new KubeError(403, 'Forbidden', 'forbidden'));
      const secret = secrets.get(`${match[1]}/${match[2]}`);
      if (!secret) return Promise.reject(new KubeError(404, 'NotFound', 'not found'));
      return Promise.resolve({ metadata: { resourceVersion: secret.resourceVersion }, data: secret.data });
    },
  };
  return rest as unknown as KubeRest & { reads: number };
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function tenant(name: string, spec: Partial<TenantResource['spec']> = {}, generation = 1): TenantResource {
  return {
    apiVersion: 'accord.dev/v1alpha1',
    kind: 'Tenant',
    metadata: { name, namespace: 'policies', uid: `uid-${name}`, generation },
    spec: {
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      graphEndpoint: 'http://127.0.0.1:1',
      authorityHost: 'http://127.0.0.1:1',
      credentials: { secretRef: { name: 'graph' } },
      ...spec,
    },
  };
}

function secrets(data: Record<string, string>, resourceVersion = '1'): Map<string, FakeSecret> {
  return new Map([['policies/graph', { resourceVersion, data }]]);
}

async function credentialsMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof CredentialsError, `a CredentialsError, not ${String(err)}`);
    return err.message;
  }
  assert.fail('expected a CredentialsError');
}

describe('tenant sessions', () => {
  it('one Graph client per Tenant, reused until its generation or its Secret changes', async () => {
    const store = secrets({ clientId: b64(CLIENT_ID), clientSecret: b64(SECRET_VALUE) });
    const instrumented: string[] = [];
    const sessions = new TenantSessions({
      rest: fakeRest(store),
      logger: silentLogger,
      instrumentFetch: (key, f) => {
        instrumented.push(key);
        return f;
      },
    });
    const first = await sessions.sessionFor(tenant('contoso'));
    assert.equal(first.clientId, CLIENT_ID);
    assert.equal(
      await sessions.sessionFor(tenant('contoso')),
      first,
      'the same client: one token cache, one pacer',
    );
    const other = await sessions.sessionFor(tenant('fabrikam'));
    assert.notEqual(other.client, first.client, 'each tenant has its own client and rate budget');
    const edited = await sessions.sessionFor(tenant('contoso', {}, 2));
    assert.notEqual(edited, first, 'a new generation of the Tenant builds a new client');
    store.get('policies/graph')!.resourceVersion = '2';
    const rotated = await sessions.sessionFor(tenant('contoso', {}, 2));
    assert.notEqual(rotated, edited, 'a changed Secret builds a new client');
    assert.deepEqual(instrumented, [
      'policies/contoso',
      'policies/fabrikam',
      'policies/contoso',
      'policies/contoso',
    ]);
  });

  it('a missing or unreadable Secret, or a missing key, is a CredentialsError that names it', async () => {
    const sessions = (store: Map<string, FakeSecret>): TenantSessions =>
      new TenantSessions({ rest: fakeRest(store), logger: silentLogger });
    assert.match(
      await credentialsMessage(sessions(new Map()).sessionFor(tenant('a'))),
      /the Secret 'graph' does not exist in this namespace/,
    );
    assert.match(
      await credentialsMessage(
        sessions(new Map()).sessionFor(tenant('a', { credentials: { secretRef: { name: 'forbidden' } } })),
      ),
      /may not read the Secret 'forbidden' \(RBAC\)/,
    );
    assert.match(
      await credentialsMessage(
        sessions(secrets({ clientSecret: b64(SECRET_VALUE) })).sessionFor(tenant('a')),
      ),
      /the Secret 'graph' has no key 'clientId'/,
    );
    assert.match(
      await credentialsMessage(sessions(secrets({ clientId: b64(CLIENT_ID) })).sessionFor(tenant('a'))),
      /the Secret 'graph' has no key 'clientSecret'/,
    );
    const withCertificateKey = tenant('a', {
      credentials: { secretRef: { name: 'graph', certificateKey: 'tls.pem' } },
    });
    const message = await credentialsMessage(
      sessions(secrets({ clientId: b64(CLIENT_ID), 'tls.pem': b64(SECRET_VALUE) })).sessionFor(
        withCertificateKey,
      ),
    );
    assert.match(message, /no PEM certificate with its private key under 'tls\.pem'/);
    assert.ok(!message.includes(SECRET_VALUE), 'the value is never in the message');
  });

  it('workload identity needs the projected token file in the pod', async () => {
    const wi = tenant('a', { credentials: { workloadIdentity: { clientId: CLIENT_ID } } });
    const without = new TenantSessions({ rest: fakeRest(new Map()), logger: silentLogger, env: {} });
    assert.match(await credentialsMessage(without.sessionFor(wi)), /AZURE_FEDERATED_TOKEN_FILE/);
    const within = new TenantSessions({
      rest: fakeRest(new Map()),
      logger: silentLogger,
      env: { AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token' },
    });
    const https = tenant(
      'a',
      {
        authorityHost: 'https://login.microsoftonline.com',
        credentials: { workloadIdentity: { clientId: CLIENT_ID } },
      },
      0,
    );
    assert.equal((await within.sessionFor(https)).clientId, CLIENT_ID);
    // @azure/identity refuses a plain-http authority: reported like any other credentials mistake.
    assert.match(await credentialsMessage(within.sessionFor(wi)), /cannot be used: .*https/);
  });

  it('a refused token is a credential failure; other Graph errors are not', () => {
    assert.equal(isCredentialFailure(new CredentialsError('x')), true);
    assert.equal(isCredentialFailure(new GraphRequestError(401, 'CredentialError', 'AADSTS7000215')), true);
    assert.equal(isCredentialFailure(new GraphRequestError(503, 'ServiceUnavailable', 'busy')), false);
    assert.equal(isCredentialFailure(new Error('socket hang up')), false);
  });
});
