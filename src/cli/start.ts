/**
 * `npm start`: the main job. Until the reconcile core lands it starts the local tenant with the demo directory,
 * persisted under `.accord/`, and says how to talk to it.
 */
import { demoDirectory } from '../tenant/seed/demo.ts';
import { startLocalTenant } from '../tenant/server.ts';
import { announce, waitForSignal } from './tenant-serve.ts';

export async function runStart(opts: { port: number; dataDir: string }): Promise<number> {
  const tenant = await startLocalTenant({
    port: opts.port,
    dataDir: opts.dataDir,
    seeds: [demoDirectory({ flavor: 'workforce' })],
  });
  // Listen for signals before announcing: whoever reads the ready text may stop us at once.
  const stopped = waitForSignal();
  announce(tenant, 'text');
  process.stdout.write('Press Ctrl+C to stop.\n');
  await stopped;
  await tenant.close();
  return 0;
}
