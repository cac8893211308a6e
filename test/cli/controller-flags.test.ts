/**
 * `accord controller`'s leader-election timing flags, checked before it reaches for a cluster: the accord names and
 * kube-controller-manager's (`--leader-elect-lease-duration`, …) set the same values, and inconsistent timings are
 * one clear line with exit 1.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAccord } from '../helpers/cli.ts';

const NO_CLUSTER = { KUBECONFIG: '/nonexistent/kubeconfig' };

describe('accord controller timing flags', () => {
  for (const [flags, message] of [
    [['--lease-duration', '5s'], /--renew-deadline must be shorter than --lease-duration/],
    [['--leader-elect-lease-duration', '5s'], /--renew-deadline must be shorter than --lease-duration/],
    [['--leader-elect-renew-deadline', '1s'], /--retry-period must be shorter than --renew-deadline/],
    [['--leader-elect-retry-period', '12s'], /--retry-period must be shorter than --renew-deadline/],
    [['--leader-elect-retry-period', 'soon'], /--leader-elect-retry-period/],
  ] as const) {
    it(`${flags.join(' ')}: ${String(message)}`, async () => {
      const run = await runAccord(['controller', ...flags], NO_CLUSTER);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const lines = run.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    });
  }
});
