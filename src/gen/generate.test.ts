import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { JsonSchema } from '../core/kind.ts';
import { KIND_SCHEMAS } from '../kinds/schemas.ts';
import { loadManifests } from '../pipeline/load-manifests.ts';
import { CHART_CRD_DIR, findStaleFiles, generateFiles } from './generate.ts';

const repoRoot = path.join(import.meta.dirname, '../..');
const files = await generateFiles();

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every problem that would make Kubernetes refuse the schema as non-structural. */
function findStructuralProblems(schema: JsonSchema, at: string, inJunctor = false): string[] {
  const problems: string[] = [];
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!inJunctor && !preserve && typeof schema.type !== 'string') problems.push(`${at}: no type`);
  if (inJunctor) {
    for (const key of ['type', 'description', 'title', 'nullable', 'additionalProperties', 'default']) {
      if (key in schema) problems.push(`${at}: '${key}' inside a junctor`);
    }
  }
  for (const key of ['$ref', 'const', 'definitions', '$defs', 'if', 'then', 'else', 'dependencies']) {
    if (key in schema) problems.push(`${at}: '${key}'`);
  }
  if (schema.uniqueItems === true) problems.push(`${at}: uniqueItems`);
  if (schema.additionalProperties === false) problems.push(`${at}: additionalProperties false`);
  for (const [name, child] of Object.entries((schema.properties as Record<string, unknown>) ?? {})) {
    if (isSchema(child)) problems.push(...findStructuralProblems(child, `${at}.${name}`, inJunctor));
  }
  if (isSchema(schema.items)) problems.push(...findStructuralProblems(schema.items, `${at}[]`, inJunctor));
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      branches.forEach(
        (b: unknown, i) =>
          isSchema(b) && problems.push(...findStructuralProblems(b, `${at}/${key}/${i}`, true)),
      );
    }
  }
  if (isSchema(schema.not)) problems.push(...findStructuralProblems(schema.not, `${at}/not`, true));
  return problems;
}

describe('generated files', () => {
  it('are up to date (run `npm run gen` if this fails)', () => {
    assert.deepEqual(findStaleFiles(repoRoot, files), []);
  });

  it('are deterministic', async () => {
    assert.deepEqual(await generateFiles(), files);
  });

  it('has one CRD (and its chart copy) and one editor schema per kind, plus the Tenant CRD', () => {
    const kinds = Object.keys(KIND_SCHEMAS).length + 1;
    assert.equal(files.filter((f) => f.path.startsWith('crds/')).length, kinds);
    assert.equal(files.filter((f) => f.path.startsWith(`${CHART_CRD_DIR}/`)).length, kinds);
    assert.equal(files.filter((f) => f.path.startsWith('schemas/')).length, kinds - 1);
    assert.ok(files.some((f) => f.path === 'crds/conditionalaccesspolicies.accord.dev.yaml'));
    assert.ok(files.some((f) => f.path === 'crds/tenants.accord.dev.yaml'));
    assert.ok(files.some((f) => f.path === 'schemas/conditional-access-policy.json'));
  });

  it("the chart's CRDs are exactly the crds/ folder's", () => {
    it('the Tenant CRD lets tokens and secrets travel over https only (plain http to loopback alone, a CEL rule)', () => {
      const crd = parse(files.find((f) => f.path === 'crds/tenants.accord.dev.yaml')!.content) as {
        spec: { versions: { schema: { openAPIV3Schema: JsonSchema } }[] };
      };
      const spec = (crd.spec.versions[0]!.schema.openAPIV3Schema.properties as Record<string, JsonSchema>)
        .spec!;
      for (const field of ['graphEndpoint', 'authorityHost']) {
        const schema = (spec.properties as Record<string, JsonSchema>)[field]!;
        const [validation] = schema['x-kubernetes-validations'] as { rule: string; message: string }[];
        assert.match(validation!.rule, /getScheme\(\) == 'https'/, field);
        assert.match(validation!.message, new RegExp(`^${field} must use https`));
        // CEL's cost budget needs a bounded string.
        assert.equal(typeof schema.maxLength, 'number', `${field} has a maxLength`);
      }
    });

    for (const file of files.filter((f) => f.path.startsWith('crds/'))) {
      const copy = files.find((f) => f.path === `${CHART_CRD_DIR}/${file.path.slice('crds/'.length)}`);
      assert.equal(copy?.content, file.content, file.path);
    }
  });

  it('the Tenant CRD requires exactly one kind of credentials (a CEL rule)', () => {
    const crd = parse(files.find((f) => f.path === 'crds/tenants.accord.dev.yaml')!.content) as {
      spec: { versions: { schema: { openAPIV3Schema: JsonSchema } }[] };
    };
    const spec = (crd.spec.versions[0]!.schema.openAPIV3Schema.properties as Record<string, JsonSchema>)
      .spec!;
    const credentials = (spec.properties as Record<string, JsonSchema>).credentials!;
    assert.deepEqual(
      (credentials['x-kubernetes-validations'] as { rule: string }[]).map((v) => v.rule),
      ['has(self.workloadIdentity) != has(self.secretRef)'],
    );
  });

  for (const file of files.filter((f) => f.path.startsWith('crds/'))) {
    it(`${file.path} is a structural CRD with status and printer columns`, () => {
      const crd = parse(file.content) as JsonSchema;
      const spec = crd.spec as {
        group: string;
        scope: string;
        versions: {
          name: string;
          served: boolean;
          storage: boolean;
          subresources: unknown;
          additionalPrinterColumns: { name: string; priority?: number }[];
          schema: { openAPIV3Schema: JsonSchema };
        }[];
      };
      assert.equal(spec.group, 'accord.dev');
      assert.equal(spec.scope, 'Namespaced');
      const [version] = spec.versions;
      assert.deepEqual([version!.name, version!.served, version!.storage], ['v1alpha1', true, true]);
      assert.deepEqual(version!.subresources, { status: {} });
      assert.deepEqual(
        version!.additionalPrinterColumns.map((c) => `${c.name}${c.priority ? `:${c.priority}` : ''}`),
        ['Ready', 'Drifted', 'Reason', 'Age', 'Message:1'],
      );
      assert.deepEqual(findStructuralProblems(version!.schema.openAPIV3Schema, 'openAPIV3Schema'), []);
    });
  }

  it('editor schemas accept the valid fixtures and reject a wrong kind', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const { manifests } = loadManifests(path.join(repoRoot, 'test/manifests/valid'));
    for (const manifest of manifests) {
      const file = files.find(
        (f) => f.path === `schemas/${manifest.kind.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}.json`,
      );
      const schema = JSON.parse(file!.content) as JsonSchema;
      const validate = ajv.getSchema(String(schema.$id)) ?? ajv.compile(schema);
      const { source: _source, ...document } = manifest;
      assert.ok(validate(document), `${manifest.metadata.name}: ${JSON.stringify(validate.errors)}`);
      assert.equal(validate({ ...document, kind: 'Other' }), false);
    }
  });
});
