#!/usr/bin/env node
// accord runs on Node.js 24 (it executes its TypeScript sources directly with Node's type stripping).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `accord needs Node.js 24 or later; this is ${process.version}. Run it through npm (npm start, npx accord), which uses the project's pinned Node.js.\n`,
  );
  process.exit(1);
}
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'ExperimentalWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});
// Node caches the compiled (type-stripped) modules between runs, which halves start-up.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit once output is flushed, rather than waiting for idle keep-alive connections to time out.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
