/**
 * `accord adopt`: pins manifests to the tenant objects they already match by display name, writing the id annotation
 * into the YAML files, and records those objects in the ownership inventory (adopted objects are owned: `--prune`
 * may delete them once their manifest leaves git). `--dry-run` reports and writes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { hasErrors } from '../../core/diagnostics.ts';
import { registry } from '../../kinds/registry.ts';
import type { Logger } from '../../log/log-port.ts';
import { describeAdoption, planAdoption, writeIdAnnotations, type Adoption } from '../../pipeline/adopt.ts';
import { InventoryStore } from '../../pipeline/inventory.ts';
import { readTenant } from '../../pipeline/read-tenant.ts';
import { renderDiagnosticsText } from '../../render/diagnostics-text.ts';
import { styleFor } from '../../render/style.ts';
import { connect, openWorkspace, type CommonOptions } from '../workspace.ts';

export interface AdoptOptions extends CommonOptions {
  dryRun: boolean;
}

/** file → document index → id, for the adoptions that pinned. */
function groupPins(adoptions: readonly Adoption[]): Map<string, Map<number, string>> {
  const byFile = new Map<string, Map<number, string>>();
  for (const { manifest, outcome } of adoptions) {
    if (outcome.kind !== 'pinned') continue;
    const pins = byFile.get(manifest.source.file) ?? new Map<number, string>();
    pins.set(manifest.source.document, outcome.id);
    byFile.set(manifest.source.file, pins);
  }
  return byFile;
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export async function runAdopt(options: AdoptOptions, logger: Logger): Promise<number> {
  const workspace = openWorkspace(options);
  if (hasErrors(workspace.diagnostics)) {
    process.stderr.write(`${renderDiagnosticsText(workspace.diagnostics, styleFor(process.stderr))}\n`);
    return 1;
  }
  const connection = await connect(workspace, options.tenant, logger);
  let adoptions: Adoption[];
  try {
    adoptions = planAdoption(workspace.manifests, await readTenant(connection.port, registry));
  } finally {
    await connection.close();
  }
  const pinned = adoptions.filter((a) => a.outcome.kind === 'pinned');
  if (!options.dryRun) {
    for (const [file, pins] of groupPins(adoptions))
      writeFileSync(file, writeIdAnnotations(readFileSync(file, 'utf8'), pins));
    const inventory = new InventoryStore(connection.inventoryPath, connection.tenantId);
    for (const { manifest, outcome } of pinned) {
      if (outcome.kind === 'pinned') inventory.record(manifest.kind, outcome.id, manifest.metadata.name);
    }
  }
  for (const adoption of adoptions) {
    const where = relative(workspace.dir, adoption.manifest.source.file);
    write(`${options.dryRun ? '(dry run) ' : ''}${describeAdoption(adoption)} [${where}]`);
  }
  const problems = adoptions.filter((a) => a.outcome.kind === 'ambiguous' || a.outcome.kind === 'taken');
  write(
    `${options.dryRun ? 'Would pin' : 'Pinned'} ${pinned.length} manifest${pinned.length === 1 ? '' : 's'}` +
      `${options.dryRun ? '' : ' and recorded them as owned'}; ${adoptions.length - pinned.length} not pinned.`,
  );
  return problems.length > 0 ? 1 : 0;
}
