/**
 * `accord whatif`: one simulated sign-in against the repository's policies (names resolved as the plan resolves
 * them) or the tenant's, answered like the admin center's What If tool. Exit 0 with an answer, 1 on errors.
 */
import { Option } from 'commander';
import { hasErrors } from '../../core/diagnostics.ts';
import type { Logger } from '../../log/log-port.ts';
import { renderDiagnosticsText } from '../../render/diagnostics-text.ts';
import { styleFor } from '../../render/style.ts';
import { renderWhatIfText } from '../../render/whatif-text.ts';
import { DirectoryReader } from '../../whatif-app/directory-reader.ts';
import { selectPolicySet, type PolicySource } from '../../whatif-app/policy-sets.ts';
import { runSignIn, type WhatIfSession } from '../../whatif-app/run-sign-in.ts';
import {
  checkSignInRequest,
  type DeviceValue,
  SIGN_IN_ENUMS,
  type SignInRequest,
} from '../../whatif-app/sign-in-request.ts';
import { UserError } from '../errors.ts';
import { makeLogger, withRepo, type CommandRegistrar, type RepoCliOptions } from '../program.ts';
import { openWorkspace, planWorkspace, WorkspaceInvalid, type CommonOptions } from '../workspace.ts';

export interface OpenedSession {
  session: WhatIfSession;
  close(): Promise<void>;
}

/**
 * Reads the tenant and resolves the repository once; the caller closes the connection. Only the stages a What-If
 * needs: not the plan's safety review or sign-in impact. A repository whose policies would lock someone out can
 * still be asked about (that is what `accord test` is for); `accord lint` and `accord plan` report the finding.
 */
export async function openWhatIfSession(
  options: CommonOptions & { against: PolicySource },
  logger: Logger,
): Promise<OpenedSession> {
  const { computed, connection } = await planWorkspace(
    openWorkspace(options),
    { ...(options.tenant ? { tenant: options.tenant } : {}), prune: false, review: false },
    logger,
  );
  try {
    // Unresolved names leave no desired state to evaluate; the tenant's policies need none of it.
    if (options.against === 'desired' && hasErrors(computed.plan.diagnostics))
      throw new WorkspaceInvalid(computed.plan.diagnostics);
    const state = { tenantId: connection.tenantId, desired: computed.desired, live: computed.live };
    const session: WhatIfSession = {
      policies: selectPolicySet(state, options.against),
      reader: new DirectoryReader(connection.port, connection.tenantId),
      names: computed.resolution.names,
    };
    return { session, close: () => connection.close() };
  } catch (err) {
    await connection.close();
    throw err;
  }
}

/** The repository has errors: print them (exit 1). Anything else is not ours to handle. */
export function reportWorkspaceInvalid(err: unknown): number {
  if (!(err instanceof WorkspaceInvalid)) throw err;
  process.stderr.write(`${renderDiagnosticsText(err.diagnostics, styleFor(process.stderr))}\n`);
  return 1;
}

type WhatIfCliOptions = RepoCliOptions & {
  user?: string;
  servicePrincipal?: string;
  app?: string;
  userAction?: string;
  authContext?: string;
  platform?: string;
  clientApp?: string;
  ip?: string;
  country?: string;
  signInRisk?: string;
  userRisk?: string;
  servicePrincipalRisk?: string;
  insiderRisk?: string;
  authFlow?: string;
  device: string[];
  against: PolicySource;
  output: 'text' | 'json';
};

const FLAGS: Record<string, string> = {
  user: '--user',
  servicePrincipal: '--service-principal',
  application: '--app',
  userAction: '--user-action',
  authenticationContext: '--auth-context',
  platform: '--platform',
  clientApp: '--client-app',
  ip: '--ip',
  country: '--country',
  signInRisk: '--sign-in-risk',
  userRisk: '--user-risk',
  servicePrincipalRisk: '--service-principal-risk',
  insiderRisk: '--insider-risk',
  authFlow: '--auth-flow',
  device: '--device',
};

function parseDeviceValue(text: string): DeviceValue {
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** `--device key=value`, repeatable; `true`/`false` become booleans. */
function parseDevice(pairs: readonly string[]): Record<string, DeviceValue> | undefined {
  if (pairs.length === 0) return undefined;
  const device: Record<string, DeviceValue> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new UserError(`--device takes key=value (got '${pair}'), e.g. --device isCompliant=true`);
    device[pair.slice(0, at).trim()] = parseDeviceValue(pair.slice(at + 1).trim());
  }
  return device;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toRequest(opts: WhatIfCliOptions): SignInRequest {
  const request: SignInRequest = defined({
    user: opts.user,
    servicePrincipal: opts.servicePrincipal,
    application: opts.app,
    userAction: opts.userAction,
    authenticationContext: opts.authContext,
    platform: opts.platform,
    clientApp: opts.clientApp,
    ip: opts.ip,
    country: opts.country,
    signInRisk: opts.signInRisk,
    userRisk: opts.userRisk,
    servicePrincipalRisk: opts.servicePrincipalRisk,
    insiderRisk: opts.insiderRisk,
    authFlow: opts.authFlow,
    device: parseDevice(opts.device),
  });
  const problems = checkSignInRequest(request, (field) => FLAGS[field] ?? field);
  if (problems.length > 0) throw new UserError(problems.join('\n  '));
  return request;
}

export async function runWhatIf(opts: WhatIfCliOptions, logger: Logger): Promise<number> {
  const request = toRequest(opts);
  const opened = await openWhatIfSession(
    { dir: opts.dir, tenant: opts.tenant, against: opts.against },
    logger,
  ).catch(reportWorkspaceInvalid);
  if (typeof opened === 'number') return opened;
  try {
    const answer = await runSignIn(opened.session, request);
    if (!answer.ok) throw new UserError(answer.message);
    const text =
      opts.output === 'json'
        ? JSON.stringify(answer.value, null, 2)
        : renderWhatIfText(answer.value, styleFor(process.stdout));
    process.stdout.write(`${text}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The help text of an enum flag: its values, from the same list the check uses. */
const allowed = (field: keyof typeof SIGN_IN_ENUMS): string => SIGN_IN_ENUMS[field].join(', ');

export const registerWhatIfCommand: CommandRegistrar = (program, setExitCode) => {
  withRepo(
    program
      .command('whatif')
      .description(
        "Simulate one sign-in: which policies apply, with which controls, and the outcome (like Entra's What If).",
      ),
  )
    .option('--user <upn|name|id>', 'the signing-in user (userPrincipalName, display name or id)')
    .option('--service-principal <appId|id|name>', 'or the signing-in workload identity')
    .option('--app <name|appId>', 'the target application')
    .option('--user-action <action>', `or a user action: ${allowed('userAction')}`)
    .option('--auth-context <id>', 'or an authentication context (c1 … c99)')
    .option('--platform <platform>', allowed('platform'))
    .option('--client-app <type>', allowed('clientApp'))
    .option('--ip <address>', 'the IP address signed in from')
    .option('--country <code>', 'the two-letter country signed in from')
    .option('--sign-in-risk <level>', allowed('signInRisk'))
    .option('--user-risk <level>', allowed('userRisk'))
    .option('--service-principal-risk <level>', allowed('servicePrincipalRisk'))
    .option('--insider-risk <level>', allowed('insiderRisk'))
    .option('--auth-flow <method>', allowed('authFlow'))
    .option('--device <key=value>', 'a device attribute for device filters (repeatable)', collect, [])
    .addOption(
      new Option('--against <policies>', "the repository's policies or the tenant's")
        .choices(['desired', 'tenant'])
        .default('desired'),
    )
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: WhatIfCliOptions) => setExitCode(await runWhatIf(opts, makeLogger(opts))));
};
