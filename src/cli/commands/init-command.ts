/**
 * `accord init`: a new policy repository — accord.yaml, an example report-only policy that spares the break-glass
 * group, a scenario test, .gitignore and editor schema hints. The break-glass group is the demo tenant's, so
 * `init` then `plan` works out of the box against the embedded local tenant; change it for a real tenant.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import type { CommandRegistrar } from '../program.ts';

export interface InitOptions {
  dir: string;
  force: boolean;
}

/**
 * The editor schemas' `$id` base (src/gen/generate.ts; not imported, since it pulls in the generator's dev-only
 * dependencies). init-command.test.ts checks it against schemas/*.json.
 */
export const SCHEMA_BASE_URL = 'https://accord.dev/schemas/v1alpha1';

const BREAK_GLASS_GROUP = 'Emergency access accounts';

const schemaUrl = (file: string): string => `${SCHEMA_BASE_URL}/${file}.json`;

const ACCORD_YAML = `# accord configuration (docs/cli.md). Without tenants, accord uses the embedded local tenant, whose
# state lives under .accord/ — a Graph-compatible tenant with a demo directory, good for trying things out.
#
# tenants:
#   production:
#     tenantId: 00000000-0000-0000-0000-000000000000   # or AZURE_TENANT_ID
#     clientId: 00000000-0000-0000-0000-000000000000   # or AZURE_CLIENT_ID
#     credential:
#       kind: githubOidc   # clientSecret | certificate | workloadIdentity | managedIdentity | githubOidc | environment
# defaultTenant: production

safety:
  # The lockout guard: these accounts must never be blocked by a policy. Put your emergency access accounts here
  # (the demo tenant's group is named below; name your own group, or list users by UPN).
  breakGlass:
    groups: [${BREAK_GLASS_GROUP}]
    # users: [breakglass1@contoso.onmicrosoft.com]

# Delete objects accord created (or adopted) once their manifest leaves git. Off by default; 'apply --prune'
# turns it on for one run.
prune: false
`;

const EXAMPLE_POLICY = `# yaml-language-server: $schema=${schemaUrl('conditional-access-policy')}
# Report-only first: watch the sign-in logs, then change state to 'enabled'.
apiVersion: accord.dev/v1alpha1
kind: ConditionalAccessPolicy
metadata:
  name: require-mfa-all-users
spec:
  displayName: Require MFA for all users
  state: enabledForReportingButNotEnforced
  conditions:
    users:
      includeUsers: [All]
      excludeGroups: [${BREAK_GLASS_GROUP}]   # names are resolved to ids at plan time
    applications:
      includeApplications: [All]
    clientAppTypes: [all]
  grantControls:
    operator: OR
    builtInControls: [mfa]
`;

const SCENARIO_TEST = `# A What-If scenario: 'accord test' signs this user in against the policies in this repository and checks the
# outcome. Scenario files under tests/ are not manifests; plan and apply ignore them.
name: break-glass accounts are never blocked
signIn:
  user: breakglass1@contoso.onmicrosoft.com
  application: All
  clientAppType: browser
expect:
  outcome: granted
`;

const GITIGNORE = `# accord's local state: the embedded tenant and the ownership inventory of local runs
.accord/
`;

const SCHEMA_FOLDERS: readonly [string, string][] = [
  ['conditional-access-policy', 'conditional-access/*.yaml'],
  ['named-location', 'named-locations/*.yaml'],
  ['authentication-strength-policy', 'authentication-strengths/*.yaml'],
  ['authentication-methods-policy', 'authentication-methods/*.yaml'],
  ['cross-tenant-access-policy', 'cross-tenant-access/*.yaml'],
];

/** For the YAML extension: each folder's schema by its \`$id\` (files may also carry a \`$schema\` comment). */
const VSCODE_SETTINGS = `${JSON.stringify(
  {
    'yaml.schemas': Object.fromEntries(SCHEMA_FOLDERS.map(([file, glob]) => [schemaUrl(file), glob])),
    'yaml.validate': true,
  },
  null,
  2,
)}\n`;

/** Path (relative to the new repository) → content. */
export const INIT_FILES: Readonly<Record<string, string>> = {
  'accord.yaml': ACCORD_YAML,
  'conditional-access/require-mfa-all-users.yaml': EXAMPLE_POLICY,
  'tests/break-glass-never-blocked.yaml': SCENARIO_TEST,
  '.gitignore': GITIGNORE,
  '.vscode/settings.json': VSCODE_SETTINGS,
};

export function runInit(options: InitOptions): number {
  const dir = resolve(options.dir);
  const targets = Object.entries(INIT_FILES).map(([path, text]) => ({ path: join(dir, path), text }));
  const existing = targets.filter((t) => existsSync(t.path));
  if (existing.length > 0 && !options.force) {
    const list = existing.map((t) => `  ${relative(dir, t.path)}`).join('\n');
    throw new UserError(
      `${dir} already has ${existing.length === 1 ? 'this file' : 'these files'}; nothing was written:\n${list}\nRun again with --force to overwrite.`,
    );
  }
  for (const target of targets) {
    mkdirSync(dirname(target.path), { recursive: true });
    writeFileSync(target.path, target.text);
  }
  process.stdout.write(
    `Created a policy repository in ${dir}:\n${Object.keys(INIT_FILES)
      .map((p) => `  ${p}\n`)
      .join('')}` +
      `Next: accord lint --dir ${options.dir}, then accord plan --dir ${options.dir} (the embedded local tenant).\n`,
  );
  return 0;
}

export const registerInitCommand: CommandRegistrar = (program, setExitCode) => {
  program
    .command('init')
    .description('Create a new policy repository: accord.yaml, an example policy, a test and editor hints.')
    .option('--dir <dir>', 'where to create it', '.')
    .option('--force', 'overwrite files that already exist', false)
    .action((opts: InitOptions) => setExitCode(runInit(opts)));
};
