/** What each console route shows, as HTML and as its JSON twin, read from the `ConsoleState`. */
import { statusWordOf, type ConsoleState, type TenantView } from './console-state.ts';
import { renderPage } from './layout.ts';
import { renderDriftBody } from './pages/drift-page.ts';
import { renderFindingsBody } from './pages/findings-page.ts';
import { renderPlanBody } from './pages/plan-page.ts';
import { renderStatusBody, type ActionsInput } from './pages/status-page.ts';
import { renderWhatIfBody, type WhatIfPageInput } from './pages/whatif-page.ts';
import { parseWhatIfForm } from './whatif-form.ts';

export type ConsoleRoute = 'status' | 'plan' | 'findings' | 'drift' | 'whatif';

export interface RenderContext {
  state: ConsoleState;
  allowActions: boolean;
  csrfToken: string;
}

const TITLES: Record<ConsoleRoute, string> = {
  status: 'Status',
  plan: 'Plan and sign-in impact',
  findings: 'Findings',
  drift: 'Drift history',
  whatif: 'What If',
};

const SUGGESTION_TTL_MS = 60_000;
const suggestionCache = new WeakMap<
  ConsoleState,
  Map<string, { at: number; value: Promise<WhatIfPageInput['suggestions']> }>
>();

function suggestionsOf(
  state: ConsoleState,
  tenant: string | undefined,
): Promise<WhatIfPageInput['suggestions']> {
  const evaluator = state.whatIf;
  if (!evaluator?.suggestions || tenant === undefined)
    return Promise.resolve({ users: [], applications: [] });
  const perTenant = suggestionCache.get(state) ?? new Map();
  suggestionCache.set(state, perTenant);
  const cached = perTenant.get(tenant);
  if (cached && Date.now() - cached.at < SUGGESTION_TTL_MS) return cached.value;
  const value = evaluator.suggestions(tenant).catch(() => ({ users: [], applications: [] }));
  perTenant.set(tenant, { at: Date.now(), value });
  return value;
}

async function whatIfInput(query: URLSearchParams, state: ConsoleState): Promise<WhatIfPageInput> {
  const form = parseWhatIfForm(query);
  const evaluator = state.whatIf;
  const tenants = state.tenants().map((t) => t.name);
  // The tenant asked about: the one named (if this host serves it), else the only or first one.
  const tenant = tenants.includes(form.values.tenant ?? '') ? form.values.tenant : tenants[0];
  const input: WhatIfPageInput = {
    form,
    available: evaluator !== undefined,
    suggestions: await suggestionsOf(state, tenant),
    tenants,
    ...(tenant !== undefined ? { tenant } : {}),
    ...(state.host?.desiredState ? { desiredState: state.host.desiredState } : {}),
  };
  if (evaluator && form.request && form.values.tenant && form.values.tenant !== tenant)
    input.answer = {
      ok: false,
      message: `no tenant named '${form.values.tenant}' is served by this console`,
    };
  else if (evaluator && form.request && tenant === undefined)
    input.answer = { ok: false, message: 'no tenant has been reconciled here yet; try again in a moment' };
  else if (evaluator && form.request && tenant !== undefined) {
    try {
      input.answer = await evaluator.evaluate(form.request, form.against, tenant);
    } catch (err) {
      input.answer = { ok: false, message: `the sign-in could not be evaluated: ${(err as Error).message}` };
    }
  }
  return input;
}

function actionsInput(ctx: RenderContext): ActionsInput | undefined {
  const actions = ctx.state.actions;
  if (!ctx.allowActions || !actions) return undefined;
  return {
    csrfToken: ctx.csrfToken,
    apply: actions.applyNow !== undefined,
    checkLabel: actions.checkLabel ?? 'Check for drift now',
  };
}

export async function renderHtmlPage(
  route: ConsoleRoute,
  path: string,
  query: URLSearchParams,
  ctx: RenderContext,
  notice?: string,
): Promise<string> {
  const tenants = ctx.state.tenants();
  const version = route === 'whatif' ? undefined : ctx.state.version;
  const page = {
    path,
    title: TITLES[route],
    allowActions: ctx.allowActions,
    ...(version === undefined ? {} : { version }),
  };
  if (route === 'whatif') {
    const input = await whatIfInput(query, ctx.state);
    return renderPage({ ...page, body: renderWhatIfBody(input) });
  }
  const body =
    route === 'status'
      ? renderStatusBody(tenants, actionsInput(ctx), notice, ctx.state.host)
      : route === 'plan'
        ? renderPlanBody(tenants)
        : route === 'findings'
          ? renderFindingsBody(tenants)
          : renderDriftBody(tenants);
  return renderPage({ ...page, body });
}

function statusJson(view: TenantView): unknown {
  return {
    name: view.name,
    id: view.id,
    source: view.source,
    status: statusWordOf(view),
    driftMode: view.driftMode,
    running: view.running,
    lastPass: view.lastPass,
    resources: view.resources,
  };
}

export async function buildJson(
  route: ConsoleRoute,
  query: URLSearchParams,
  ctx: RenderContext,
): Promise<{ status: number; body: unknown }> {
  const tenants = ctx.state.tenants();
  const version = ctx.state.version;
  switch (route) {
    case 'status':
      return {
        status: 200,
        body: {
          version,
          ...(ctx.state.host ? { host: ctx.state.host } : {}),
          tenants: tenants.map(statusJson),
        },
      };
    case 'plan':
      return {
        status: 200,
        body: {
          version,
          tenants: tenants.map((t) => ({
            name: t.name,
            latestPlan: t.latestPlan,
            lastChangePlan: t.lastChangePlan,
          })),
        },
      };
    case 'findings':
      return {
        status: 200,
        body: { version, tenants: tenants.map((t) => ({ name: t.name, findings: t.findings })) },
      };
    case 'drift':
      return {
        status: 200,
        body: {
          version,
          tenants: tenants.map((t) => ({ name: t.name, driftMode: t.driftMode, checks: t.driftHistory })),
        },
      };
    case 'whatif': {
      const input = await whatIfInput(query, ctx.state);
      if (!input.available)
        return { status: 404, body: { error: 'What If is not available from this host' } };
      if (input.form.problems.length > 0) return { status: 400, body: { problems: input.form.problems } };
      if (!input.answer) return { status: 400, body: { problems: ['give at least user and app'] } };
      if (!input.answer.ok) return { status: 400, body: { problems: [input.answer.message] } };
      return { status: 200, body: input.answer.value };
    }
  }
}
