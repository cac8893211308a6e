/**
 * The What-If evaluator for hosts that reconcile a policy repository (`accord reconcile --watch`, `npm start`):
 * each question reads the tenant and resolves the repository afresh, exactly as `accord whatif` does, so the answer
 * matches the command line. `exclusive` lets the host keep it from overlapping a reconcile pass.
 */
import { hasErrors } from '../core/diagnostics.ts';
import type { GraphPort } from '../core/graph-port.ts';
import type { Logger } from '../log/log-port.ts';
import { DirectoryReader } from '../whatif-app/directory-reader.ts';
import { selectPolicySet } from '../whatif-app/policy-sets.ts';
import { runSignIn } from '../whatif-app/run-sign-in.ts';
import { connect, openWorkspace, planWorkspace, type CommonOptions } from '../cli/workspace.ts';
import type { WhatIfEvaluator } from './console-state.ts';

export type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

const SUGGESTIONS = 300;

function itemsOf(page: Record<string, unknown> | undefined): Record<string, unknown>[] {
  return Array.isArray(page?.value) ? (page.value as Record<string, unknown>[]) : [];
}

export function workspaceWhatIf(
  options: CommonOptions,
  logger: Logger,
  exclusive: Exclusive,
): WhatIfEvaluator {
  return {
    evaluate: (request, against) =>
      exclusive(async () => {
        const workspace = openWorkspace(options);
        if (hasErrors(workspace.diagnostics))
          return { ok: false, message: 'the policy repository has errors (see Findings); fix them first' };
        const run = await planWorkspace(workspace, { tenant: options.tenant, impact: false }, logger);
        try {
          const { computed, connection } = run;
          if (against === 'desired' && hasErrors(computed.plan.diagnostics))
            return {
              ok: false,
              message: 'the desired state has errors (see Findings); evaluate against the tenant instead',
            };
          const state = { tenantId: connection.tenantId, desired: computed.desired, live: computed.live };
          return await runSignIn(
            {
              policies: selectPolicySet(state, against),
              reader: new DirectoryReader(connection.port, connection.tenantId),
              names: computed.resolution.names,
            },
            request,
          );
        } finally {
          await run.connection.close();
        }
      }),
    suggestions: () =>
      exclusive(async () => {
        const workspace = openWorkspace(options);
        const connection = await connect(workspace, options.tenant, logger);
        try {
          return await readSuggestions(connection.port);
        } finally {
          await connection.close();
        }
      }),
  };
}

/** Users and applications to offer in the What-If form: one page each, not the whole directory. */
export async function readSuggestions(port: GraphPort): Promise<{ users: string[]; applications: string[] }> {
  const [users, apps] = await Promise.all([
    port.get(`/users?$select=userPrincipalName&$top=${SUGGESTIONS}`),
    port.get(`/servicePrincipals?$select=displayName&$top=${SUGGESTIONS}`),
  ]);
  const names = (page: Record<string, unknown> | undefined, key: string): string[] =>
    [
      ...new Set(
        itemsOf(page)
          .map((i) => String(i[key] ?? ''))
          .filter((n) => n !== ''),
      ),
    ]
      .sort((a, b) => a.localeCompare(b))
      .slice(0, SUGGESTIONS);
  return { users: names(users, 'userPrincipalName'), applications: names(apps, 'displayName') };
}
