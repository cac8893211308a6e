/**
 * Who runs accord, for the guard's "would accord lose access" check: the client id accord.yaml (or
 * AZURE_CLIENT_ID) gives a Graph tenant, or for the embedded local tenant the app registration it signs in as.
 */
import { resolveTenantConfig, type AccordConfig } from '../config/accord-config.ts';

export type CallerRef = { appId: string } | { displayName: string };

export function callerOf(
  config: AccordConfig,
  tenantName: string | undefined,
  env: NodeJS.ProcessEnv,
): CallerRef | undefined {
  const { target } = resolveTenantConfig(config, tenantName, env);
  if (!target) return undefined;
  if (target.kind === 'embedded') {
    // The same choice as the local connection (src/cli/connection.ts).
    return { displayName: env.ACCORD_LOCAL_IDENTITY === 'reader' ? 'accord-reader' : 'accord-writer' };
  }
  const clientId = target.credential.clientId ?? env.AZURE_CLIENT_ID;
  return clientId ? { appId: clientId } : undefined;
}
