/** Turns accord.yaml's tenant choice into connection settings; undefined means the embedded local tenant. */
import { hasErrors } from '../core/diagnostics.ts';
import { resolveTenantConfig, type AccordConfig } from '../config/accord-config.ts';
import { CredentialConfigError, createCredential } from '../graph/credentials.ts';
import { renderDiagnosticsText } from '../render/diagnostics-text.ts';
import type { RemoteTenantSettings } from './connection.ts';
import { UserError } from './errors.ts';

export async function remoteTenantSettings(
  config: AccordConfig,
  name: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<RemoteTenantSettings | undefined> {
  const { target, diagnostics } = resolveTenantConfig(config, name, env);
  if (hasErrors(diagnostics) || !target) throw new UserError(renderDiagnosticsText(diagnostics));
  if (target.kind === 'embedded') return undefined;
  try {
    return {
      name: target.name,
      tenantId: target.credential.tenantId,
      graphUrl: target.graphUrl,
      credential: createCredential(target.credential, env),
      conditionalAccessPerSecond: target.conditionalAccessPerSecond,
    };
  } catch (err) {
    if (err instanceof CredentialConfigError) throw new UserError(err.message);
    throw err;
  }
}
