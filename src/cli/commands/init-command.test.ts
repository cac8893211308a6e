import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseConfig } from '../../config/accord-config.ts';
import { parseManifestText } from '../../pipeline/load-manifests.ts';
import { validateManifests } from '../../pipeline/validate-manifests.ts';
import { INIT_FILES, SCHEMA_BASE_URL } from './init-command.ts';

const SCHEMAS = new URL('../../../schemas/', import.meta.url);

describe('accord init files', () => {
  it('use the editor schemas’ $id URLs', () => {
    const ids = readdirSync(SCHEMAS).map(
      (f) => (JSON.parse(readFileSync(new URL(f, SCHEMAS), 'utf8')) as { $id: string }).$id,
    );
    for (const id of ids) assert.ok(id.startsWith(`${SCHEMA_BASE_URL}/`), id);
    const settings = JSON.parse(INIT_FILES['.vscode/settings.json']!) as {
      'yaml.schemas': Record<string, string>;
    };
    assert.deepEqual(Object.keys(settings['yaml.schemas']).sort(), [...ids].sort());
    const policy = INIT_FILES['conditional-access/require-mfa-all-users.yaml']!;
    const hint = /^# yaml-language-server: \$schema=(\S+)\n/.exec(policy)?.[1];
    assert.ok(hint && ids.includes(hint), `unknown schema hint ${hint}`);
  });

  it('hold a valid config and a valid report-only policy that spares the break-glass group', () => {
    const { config, diagnostics } = parseConfig(INIT_FILES['accord.yaml']!, '/r/accord.yaml', '/r');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(config.safety.breakGlass.groups, ['Emergency access accounts']);
    assert.equal(config.prune, false);
    const { manifests, diagnostics: yamlProblems } = parseManifestText(
      'p.yaml',
      INIT_FILES['conditional-access/require-mfa-all-users.yaml']!,
    );
    assert.deepEqual(yamlProblems, []);
    assert.deepEqual(validateManifests(manifests), []);
    const spec = manifests[0]!.spec as { state: string; conditions: { users: { excludeGroups: string[] } } };
    assert.equal(spec.state, 'enabledForReportingButNotEnforced');
    assert.deepEqual(spec.conditions.users.excludeGroups, config.safety.breakGlass.groups);
    const scenario = parse(INIT_FILES['tests/break-glass-never-blocked.yaml']!) as {
      expect: { outcome: string };
    };
    assert.equal(scenario.expect.outcome, 'granted');
    assert.match(INIT_FILES['.gitignore']!, /^\.accord\/$/m);
  });
});
