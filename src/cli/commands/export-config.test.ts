import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../config/accord-config.ts';
import { rebaseConfigText } from './export-config.ts';

describe('rebaseConfigText', () => {
  it('points an exported copy at the same local state, inventory and credential files, keeping comments', () => {
    const text = `# production settings
tenants:
  prod:
    tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
    clientId: 0f3e0000-0000-0000-0000-000000000000
    credential:
      kind: certificate
      certificatePath: certs/accord.pem # rotated yearly
prune: false
`;
    const { config } = parseConfig(text, '/repos/source/accord.yaml', '/repos/source');
    const out = rebaseConfigText(text, config, '/repos/copy');
    assert.ok(out.startsWith('# production settings'));
    assert.ok(out.includes('# rotated yearly'));
    const { config: copied, diagnostics } = parseConfig(out, '/repos/copy/accord.yaml', '/repos/copy');
    assert.deepEqual(diagnostics, []);
    assert.equal(copied.localTenant.dataDir, '../source/.accord/local-tenant');
    assert.equal(copied.ownership.inventory, '../source/.accord/inventory.json');
    assert.equal(copied.tenants.prod!.credential.certificatePath, '../source/certs/accord.pem');
  });

  it('writes a fresh file with a header when the source has none', () => {
    const { config } = parseConfig('{}', '/a/accord.yaml', '/a');
    const out = rebaseConfigText(undefined, config, '/a/export');
    assert.match(out, /^# accord configuration, written by `accord export`/);
    assert.equal(
      parseConfig(out, '/a/export/accord.yaml', '/a/export').config.localTenant.dataDir,
      '../.accord/local-tenant',
    );
  });
});
