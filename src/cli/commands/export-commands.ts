/** Registers `accord export` (tenant → manifests) and `accord adopt` (pin manifests to existing tenant objects). */
import { makeLogger, withRepo, type CommandRegistrar, type RepoCliOptions } from '../program.ts';
import { runAdopt } from './adopt-run.ts';
import { runExport } from './export-run.ts';

type ExportCliOptions = RepoCliOptions & { out?: string; force: boolean };
type AdoptCliOptions = RepoCliOptions & { dryRun: boolean };

const EXPORT_HELP = `
Writes one file per object: conditional-access/<name>.yaml, named-locations/, authentication-strengths/,
authentication-methods/authentication-methods.yaml (every method configuration) and
cross-tenant-access/cross-tenant-access.yaml (the default and every partner). Built-in strengths are left out.
Each manifest is pinned to its object (annotation accord.dev/id) and names users by UPN, groups, roles and
applications by display name, and named locations and strengths by the metadata.name given here, so that an
immediate 'accord plan' shows no changes. With --out elsewhere, an accord.yaml pointing at the same tenant and
ownership inventory is written there too. Existing files are never overwritten without --force.`;

const ADOPT_HELP = `
For every manifest without the annotation accord.dev/id whose spec.displayName matches exactly one tenant object
of its kind, writes the annotation into the YAML file (comments kept) and records the object in the ownership
inventory (.accord/inventory.json by default): adopted objects count as created by accord, so 'apply --prune'
may delete them once their manifest leaves git. Manifests matching nothing (plan creates them) or several objects
(pin one by hand) are reported. Adopting changes identity, not content: the next plan shows the same changes.
Exit 0, or 1 when a manifest matches several objects or an object another manifest already pins.`;

export const registerExportCommands: CommandRegistrar = (program, setExitCode) => {
  withRepo(
    program
      .command('export')
      .description(
        'Write the tenant as manifests with readable names and pinned ids (plan then shows no changes).',
      ),
  )
    .option('--out <dir>', 'where to write the manifests (default: --dir)')
    .option('--force', 'overwrite files that already exist', false)
    .addHelpText('after', EXPORT_HELP)
    .action(async (opts: ExportCliOptions) => setExitCode(await runExport(opts, makeLogger(opts))));

  withRepo(
    program
      .command('adopt')
      .description('Pin manifests to the tenant objects they match by display name, and own those objects.'),
  )
    .option('--dry-run', 'report what would be pinned; write nothing', false)
    .addHelpText('after', ADOPT_HELP)
    .action(async (opts: AdoptCliOptions) => setExitCode(await runAdopt(opts, makeLogger(opts))));
};
