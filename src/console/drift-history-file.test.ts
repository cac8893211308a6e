import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LogFields, Logger } from '../log/log-port.ts';
import { ConsoleState, type DriftCheck } from './console-state.ts';
import { DriftHistoryFileStore } from './drift-history-file.ts';

const root = mkdtempSync(join(tmpdir(), 'accord-drift-history-'));
after(() => rmSync(root, { recursive: true, force: true }));

function recordingLogger(): Logger & { warnings: { message: string; fields?: LogFields }[] } {
  const warnings: { message: string; fields?: LogFields }[] = [];
  const none = () => undefined;
  return {
    warnings,
    error: none,
    info: none,
    debug: none,
    warn: (message, fields) => warnings.push({ message, fields }),
  };
}

const check = (at: string, resolution: DriftCheck['resolution'], fields: string[] = []): DriftCheck => ({
  at,
  lastAt: at,
  count: 1,
  trigger: 'drift check',
  drifted: fields.length
    ? [{ kind: 'ConditionalAccessPolicy', name: 'mfa', displayName: 'MFA', action: 'update', fields }]
    : [],
  resolution,
  message: resolution === 'none' ? 'No drift.' : 'Only reported; the tenant was not changed.',
});

describe('drift history file', () => {
  it('keeps each tenant’s checks across store instances, newest first', () => {
    const path = join(root, 'round-trip', '.accord', 'drift-history.json');
    const logger = recordingLogger();
    const first = new DriftHistoryFileStore(path, logger);
    assert.deepEqual(first.load('local'), []);
    first.save('local', [
      check('2026-01-02T00:00:00.000Z', 'reported', ['state']),
      check('2026-01-01T00:00:00.000Z', 'none'),
    ]);
    first.save('other', [check('2026-01-03T00:00:00.000Z', 'none')]);
    const second = new DriftHistoryFileStore(path, logger);
    assert.deepEqual(
      second.load('local').map((c) => [c.at, c.resolution, c.drifted.flatMap((d) => d.fields)]),
      [
        ['2026-01-02T00:00:00.000Z', 'reported', ['state']],
        ['2026-01-01T00:00:00.000Z', 'none', []],
      ],
    );
    assert.equal(second.load('other').length, 1);
    assert.deepEqual(logger.warnings, []);
  });

  it('a file accord did not write is reported with its problem, starts empty, and is replaced', () => {
    const dir = join(root, 'corrupt');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'drift-history.json');
    for (const [text, problem] of [
      ['{ not json', /not JSON/],
      ['{"formatVersion":2,"tenants":{}}', /formatVersion 2 is not 1/],
      ['{"formatVersion":1,"tenants":{"local":[{"at":1}]}}', /tenants\.local\[0\] is not a drift check/],
    ] as const) {
      writeFileSync(path, text);
      const logger = recordingLogger();
      const store = new DriftHistoryFileStore(path, logger);
      assert.deepEqual(store.load('local'), []);
      assert.equal(logger.warnings.length, 1);
      assert.equal(logger.warnings[0]!.fields?.file, path);
      assert.match(String(logger.warnings[0]!.fields?.problem), problem);
      store.save('local', [check('2026-01-01T00:00:00.000Z', 'none')]);
      assert.equal(JSON.parse(readFileSync(path, 'utf8')).tenants.local.length, 1);
    }
  });

  it('a history that cannot be written is a warning, not a failure', () => {
    const blocker = join(root, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    const logger = recordingLogger();
    const store = new DriftHistoryFileStore(join(blocker, 'drift-history.json'), logger);
    store.save('local', [check('2026-01-01T00:00:00.000Z', 'none')]);
    assert.deepEqual(
      logger.warnings.map((w) => w.message),
      [
        'the drift history could not be read; it starts empty',
        'the drift history could not be saved; the console still shows it',
      ],
    );
  });

  it('the console state restores a history and reports each change to it', () => {
    const saved: [string, number][] = [];
    const state = new ConsoleState({
      driftHistorySize: 2,
      onDriftHistory: (tenant, history) => saved.push([tenant, history.length]),
    });
    state.addTenant({ name: 'local' }, '/repo', 'warn');
    state.restoreDriftHistory({ name: 'local' }, [
      check('2026-01-02T00:00:00.000Z', 'reported', ['state']),
      check('2026-01-01T00:00:00.000Z', 'none'),
      check('2025-12-31T00:00:00.000Z', 'none'),
    ]);
    assert.equal(state.tenants()[0]!.driftHistory.length, 2, 'bounded like the ring buffer');
    state.recordPass({
      tenant: { name: 'local' },
      source: '/repo',
      trigger: 'drift check',
      driftCheck: true,
      driftMode: 'warn',
      startedAt: '2026-01-03T00:00:00.000Z',
      finishedAt: '2026-01-03T00:00:01.000Z',
    });
    const history = state.tenants()[0]!.driftHistory;
    assert.equal(history[0]!.at, '2026-01-03T00:00:01.000Z', 'the new check first');
    assert.equal(history[1]!.resolution, 'reported', 'the restored check after it');
    assert.deepEqual(saved, [['local', 2]]);
    state.recordPass({
      tenant: { name: 'local' },
      source: '/repo',
      trigger: 'manifests changed',
      driftCheck: false,
      driftMode: 'warn',
      startedAt: '2026-01-03T00:01:00.000Z',
      finishedAt: '2026-01-03T00:01:01.000Z',
    });
    assert.deepEqual(saved, [['local', 2]], 'a pass that is not a drift check changes no history');
  });
});
