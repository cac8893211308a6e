import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { error } from '../core/diagnostics.ts';
import { ConditionType, Reason } from './conditions.ts';
import type { KubeRest } from './kube/kube-rest.ts';
import type { Condition, ResourceStatus } from './resources.ts';
import {
  StatusWriter,
  notReady,
  progressing,
  ready,
  reasonForDiagnostics,
  suspended,
  type StatusTarget,
} from './status.ts';

/** The status patches the writer sends, in order. */
function recordingRest(): { rest: KubeRest; patches: { path: string; body: { status: ResourceStatus } }[] } {
  const patches: { path: string; body: { status: ResourceStatus } }[] = [];
  const rest = {
    patch: (path: string, body: { status: ResourceStatus }) => {
      patches.push({ path, body });
      return Promise.resolve(body);
    },
  } as unknown as KubeRest;
  return { rest, patches };
}

function target(generation = 3): StatusTarget {
  return {
    kind: 'ConditionalAccessPolicy',
    plural: 'conditionalaccesspolicies',
    metadata: { name: 'mfa', namespace: 'policies', uid: 'u1', generation },
  };
}

const t0 = new Date('2026-03-01T10:00:00Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);
const types = (conditions: readonly Condition[] | undefined): string[] =>
  (conditions ?? []).map((c) => c.type);

describe('StatusWriter', () => {
  it('writes all four conditions, each with observedGeneration, to the status subresource', async () => {
    const { rest, patches } = recordingRest();
    const writer = new StatusWriter(rest, 'accord-controller');
    assert.equal(await writer.write(target(), { conditions: ready('in accord') }, 60_000, t0), true);
    assert.equal(patches.length, 1);
    assert.match(
      patches[0]!.path,
      /^\/apis\/accord\.dev\/v1alpha1\/namespaces\/policies\/conditionalaccesspolicies\/mfa\/status\?fieldManager=accord-controller$/,
    );
    const status = patches[0]!.body.status;
    assert.deepEqual(types(status.conditions), ['Ready', 'Reconciling', 'Stalled', 'Drifted']);
    for (const condition of status.conditions!) assert.equal(condition.observedGeneration, 3, condition.type);
    assert.equal(status.observedGeneration, 3);
    const drifted = status.conditions!.find((c) => c.type === ConditionType.Drifted)!;
    assert.deepEqual([drifted.status, drifted.reason], ['Unknown', Reason.NotCompared]);
  });

  it('sends nothing when nothing a reader sees changed, and refreshes lastSyncTime once per interval', async () => {
    const { rest, patches } = recordingRest();
    const writer = new StatusWriter(rest, 'accord-controller');
    const object = target();
    await writer.write(object, { conditions: ready('in accord') }, 60_000, t0);
    assert.equal(await writer.write(object, { conditions: ready('in accord') }, 60_000, later(1_000)), false);
    assert.equal(patches.length, 1);
    assert.equal(await writer.write(object, { conditions: ready('in accord') }, 60_000, later(61_000)), true);
    const failed = notReady(Reason.ApplyFailed, 'Graph said no', false);
    assert.equal(await writer.write(object, { conditions: failed }, 60_000, later(62_000)), true);
    assert.equal(patches.length, 3);
    const readyCondition = patches[2]!.body.status.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(readyCondition.lastTransitionTime, later(62_000).toISOString(), 'the status flipped');
  });

  it('leaves observedGeneration alone while the spec was not processed (observe: false)', async () => {
    const { rest, patches } = recordingRest();
    const writer = new StatusWriter(rest, 'accord-controller');
    const object = { ...target(4), status: { observedGeneration: 3 } };
    await writer.write(
      object,
      { conditions: progressing('reconciling generation 4'), observe: false },
      1,
      t0,
    );
    assert.equal(patches[0]!.body.status.observedGeneration, undefined);
    const conditions = patches[0]!.body.status.conditions!;
    assert.deepEqual(
      conditions.map((c) => `${c.type}=${c.status}`),
      ['Ready=Unknown', 'Reconciling=True', 'Stalled=False', 'Drifted=Unknown'],
    );
  });

  it('a suspended resource keeps its Ready condition and says Reconciling=False (Suspended)', async () => {
    const { rest, patches } = recordingRest();
    const writer = new StatusWriter(rest, 'accord-controller');
    const object = target();
    await writer.write(object, { conditions: ready('in accord') }, 60_000, t0);
    await writer.write(object, { conditions: suspended('suspended'), observe: false }, 60_000, later(1));
    const conditions = patches[1]!.body.status.conditions!;
    assert.equal(conditions.find((c) => c.type === 'Ready')?.status, 'True');
    const reconciling = conditions.find((c) => c.type === 'Reconciling')!;
    assert.deepEqual([reconciling.status, reconciling.reason], ['False', 'Suspended']);
  });
});

describe('condition reasons', () => {
  it('are valid metav1.Condition reasons (the CRD pattern), so the API server accepts every status', () => {
    for (const reason of Object.values(Reason))
      assert.match(reason, /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/, reason);
  });

  it('are chosen from the diagnostics: the guard, names, the schema, anything else', () => {
    const at = { file: 'x', line: 1, column: 1 };
    assert.equal(
      reasonForDiagnostics([error('lockout-all-users', 'locked out', { location: at })]),
      'LockoutRefused',
    );
    assert.equal(reasonForDiagnostics([error('unresolved-name', 'no such group')]), 'UnresolvedReference');
    assert.equal(reasonForDiagnostics([error('ambiguous-match', 'two policies')]), 'AmbiguousMatch');
    assert.equal(reasonForDiagnostics([error('schema', 'bad enum')]), 'InvalidSpec');
    assert.equal(reasonForDiagnostics([error('duplicate-name', 'twice')]), 'InvalidSpec');
    assert.equal(reasonForDiagnostics([error('grant-without-controls', 'lint')]), 'PolicyRejected');
  });
});
