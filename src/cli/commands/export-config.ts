/**
 * The accord.yaml `export --out` writes next to an exported copy of a repository: the source's settings (comments
 * kept), with every path rebased so that the copy talks to the same tenant, keeps the same ownership inventory and,
 * for the embedded local tenant, opens the same state. Pure.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { AccordConfig } from '../../config/accord-config.ts';

const HEADER =
  '# accord configuration, written by `accord export`: the paths point back at the repository exported from,\n' +
  '# so that plan and apply here use the same tenant and the same ownership inventory.\n';

function rebase(path: string, fromDir: string, toDir: string): string {
  if (isAbsolute(path)) return path;
  const rebased = relative(toDir, resolve(fromDir, path)).split('\\').join('/');
  return rebased === '' ? '.' : rebased;
}

/** `text` is the source accord.yaml (undefined when it has none); `config` is what it parsed to. */
export function rebaseConfigText(text: string | undefined, config: AccordConfig, outDir: string): string {
  const doc = parseDocument(text ?? '{}');
  const from = config.baseDir;
  doc.setIn(['localTenant', 'dataDir'], rebase(config.localTenant.dataDir, from, outDir));
  doc.setIn(['ownership', 'inventory'], rebase(config.ownership.inventory, from, outDir));
  for (const [name, tenant] of Object.entries(config.tenants)) {
    const { certificatePath, tokenFile } = tenant.credential;
    if (certificatePath !== undefined)
      doc.setIn(['tenants', name, 'credential', 'certificatePath'], rebase(certificatePath, from, outDir));
    if (tokenFile !== undefined)
      doc.setIn(['tenants', name, 'credential', 'tokenFile'], rebase(tokenFile, from, outDir));
  }
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return text === undefined ? `${HEADER}${body}` : body;
}
