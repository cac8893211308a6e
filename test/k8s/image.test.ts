/**
 * The controller image's Dockerfile, checked without a container engine (none on the build machines): parsed, it
 * must build on Node.js 24 in two stages, install production dependencies only, run as a non-root user with an
 * exec-form ENTRYPOINT, and COPY only paths that exist and that .dockerignore lets into the context. Then the image's
 * file layout is staged in a temporary folder (what COPY puts in /app, with only the production packages in
 * node_modules) and the pinned Node.js 24 runs accord from it, as the image's node would.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from './api-server.ts';
import { CONTROLLER_FLAGS } from './chart-objects.ts';
import { parseDockerfile, type Stage } from './dockerfile.ts';

const NODE = join(REPO_ROOT, 'node_modules/.bin/node');
const stages = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const dockerignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

function finalStage(): Stage {
  const last = stages.at(-1);
  assert.ok(last, 'the Dockerfile has a stage');
  return last;
}

describe('Dockerfile of the controller image', () => {
  it('builds in two stages on Node.js 24, the runtime distroless or slim', () => {
    assert.equal(stages.length, 2);
    const [deps, runtime] = stages as [Stage, Stage];
    assert.match(deps.image, /^node:24(\.\d+)*-bookworm-slim(@sha256:[a-f0-9]{64})?$/);
    assert.match(
      runtime.image,
      /^(gcr\.io\/distroless\/nodejs24-debian1[2-9](:[\w.-]+)?|node:24[\w.-]*)(@sha256:[a-f0-9]{64})?$/,
    );
    const install = deps.instructions.find((i) => i.name === 'RUN' && /\bnpm ci\b/.test(i.args));
    assert.ok(install, 'the first stage runs npm ci');
    assert.match(install.args, /--omit=dev/);
  });

  it('runs as a non-root user with an exec-form ENTRYPOINT running accord', () => {
    const runtime = finalStage();
    const user = runtime.instructions.filter((i) => i.name === 'USER').at(-1);
    assert.ok(user, 'the final stage sets USER');
    const [uid] = user.args.split(':');
    assert.ok(uid !== undefined && uid !== 'root' && uid !== '0', `USER ${user.args} is not root`);
    assert.ok(
      /^\d+$/.test(uid) ? Number(uid) >= 1000 : uid === 'nonroot',
      `USER ${user.args}: numeric, ≥ 1000`,
    );

    const entrypoint = runtime.instructions.filter((i) => i.name === 'ENTRYPOINT').at(-1);
    assert.ok(entrypoint, 'ENTRYPOINT is set');
    const argv = JSON.parse(entrypoint.args) as string[]; // exec form only: a shell form is not JSON
    assert.match(argv[0] ?? '', /\/node$/);
    assert.equal(argv[1], '/app/bin/accord.js');
    const cmd = runtime.instructions.filter((i) => i.name === 'CMD').at(-1);
    assert.deepEqual(JSON.parse(cmd?.args ?? 'null'), ['controller']);
    const workdir = runtime.instructions.filter((i) => i.name === 'WORKDIR').at(-1);
    assert.equal(workdir?.args, '/app');
  });

  it('COPYs only paths that exist and that .dockerignore lets into the build context', () => {
    const names = new Set(stages.map((stage) => stage.name).filter(Boolean));
    let copies = 0;
    for (const stage of stages)
      for (const instruction of stage.instructions.filter((i) => i.name === 'COPY')) {
        copies++;
        const words = instruction.args.split(/\s+/);
        const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((word) => !word.startsWith('--'));
        const sources = paths.slice(0, -1);
        assert.ok(sources.length > 0, `COPY ${instruction.args} names a source`);
        if (from !== undefined) {
          assert.ok(names.has(from), `COPY --from=${from} names an earlier stage`);
          continue;
        }
        for (const source of sources) {
          assert.ok(existsSync(join(REPO_ROOT, source)), `${source} exists`);
          const top = source.replace(/^\.\//, '').replace(/\/$/, '');
          assert.ok(
            dockerignore.includes(`!${top}`) || dockerignore.includes(`!${top}/`),
            `.dockerignore lets ${top} in`,
          );
        }
      }
    assert.ok(copies >= 4);
    assert.equal(dockerignore[0], '*', '.dockerignore excludes everything not named');
  });

  describe('the image layout, staged without a container engine', () => {
    let app: string;

    before(() => {
      app = mkdtempSync(join(tmpdir(), 'accord-image-'));
      // What the final stage COPYs: package.json, bin/, src/ (minus the tests .dockerignore leaves out).
      cpSync(join(REPO_ROOT, 'package.json'), join(app, 'package.json'));
      cpSync(join(REPO_ROOT, 'bin'), join(app, 'bin'), { recursive: true });
      cpSync(join(REPO_ROOT, 'src'), join(app, 'src'), {
        recursive: true,
        filter: (source) => !source.endsWith('.test.ts'),
      });
      // node_modules as `npm ci --omit=dev` leaves it: the lock file's non-dev packages only.
      const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      };
      for (const [path, entry] of Object.entries(lock.packages)) {
        if (!path.startsWith('node_modules/') || path.includes('/node_modules/') || entry.dev === true)
          continue;
        const target = join(app, path);
        mkdirSync(dirname(target), { recursive: true });
        symlinkSync(join(REPO_ROOT, path), target);
      }
      assert.ok(!existsSync(join(app, 'node_modules/typescript')), 'dev dependencies are left out');
      assert.ok(existsSync(join(app, 'node_modules/@kubernetes/client-node')));
    });

    after(() => {
      if (app) rmSync(app, { recursive: true, force: true });
    });

    const run = (args: string[]): ReturnType<typeof spawnSync> =>
      spawnSync(NODE, [join(app, 'bin/accord.js'), ...args], {
        cwd: tmpdir(),
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', HOME: app, NO_COLOR: '1' },
        timeout: 120_000,
      });

    it('Node.js 24 runs accord from it with production dependencies only', () => {
      const help = run(['--help']);
      assert.equal(help.status, 0, `${help.stderr}`);
      assert.match(String(help.stdout), /Usage: accord/);
    });

    it('accord controller --help lists every flag the chart passes', (t) => {
      const help = run(['controller', '--help']);
      if (!String(help.stdout).includes('Usage: accord controller')) {
        t.skip('accord controller is not registered in the CLI yet');
        return;
      }
      assert.equal(help.status, 0, String(help.stderr));
      for (const flag of CONTROLLER_FLAGS)
        assert.ok(String(help.stdout).includes(flag), `${flag} in the help`);
    });
  });
});
