/** A CustomResourceDefinition for one kind: its spec schema, a status with standard conditions, printer columns. */
import type { JsonSchema } from '../core/kind.ts';
import { RESOURCE_STATUS_SCHEMA } from '../controller/tenant-schema.ts';
import { toStructuralSchema } from './schema-transforms.ts';

export const API_GROUP = 'accord.dev';
export const API_VERSION_NAME = 'v1alpha1';

export interface KindNames {
  kind: string;
  plural: string;
  singular: string;
  shortName: string;
  /** Kebab-case, for file names: `conditional-access-policy`. */
  fileName: string;
}

/** Names derived from the kind alone, so adding a kind needs no entry here. */
export function deriveKindNames(kind: string): KindNames {
  const singular = kind.toLowerCase();
  const plural = singular.endsWith('y') ? `${singular.slice(0, -1)}ies` : `${singular}s`;
  const shortName = kind.replace(/[a-z]/g, '').toLowerCase();
  const fileName = kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return { kind, plural, singular, shortName, fileName };
}

const printerColumns: JsonSchema[] = [
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Drifted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Drifted")].status' },
  { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  {
    name: 'Message',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].message',
    priority: 1,
  },
];

export interface CrdOptions {
  /** The status schema (default: a policy resource's status: conditions, id, tenant, sync times). */
  statusSchema?: JsonSchema;
}

export function buildCrd(
  names: KindNames,
  specSchema: JsonSchema,
  description: string,
  options: CrdOptions = {},
): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      names: {
        kind: names.kind,
        listKind: `${names.kind}List`,
        plural: names.plural,
        singular: names.singular,
        shortNames: [names.shortName],
        categories: ['accord'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION_NAME,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: printerColumns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description,
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: toStructuralSchema(specSchema),
                status: options.statusSchema ?? RESOURCE_STATUS_SCHEMA,
              },
            },
          },
        },
      ],
    },
  };
}
