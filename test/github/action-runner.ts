/**
 * Runs a composite action's steps the way GitHub does, for tests: `${{ … }}` expressions in `run` and `env` are
 * replaced from the inputs (with their defaults) and the `github` context, each `run` script runs with
 * `bash --noprofile --norc -eo pipefail`, and `GITHUB_OUTPUT` lines become step outputs. `uses:` steps are recorded,
 * not run (the test provides Node 24 on PATH in place of actions/setup-node).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

export interface ActionFile {
  name: string;
  inputs: Record<string, ActionInput>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export function readAction(path: string): ActionFile {
  return parse(readFileSync(path, 'utf8')) as ActionFile;
}

export interface StepRun {
  name: string;
  skipped: boolean;
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

type Context = Record<string, string>;

function substitute(text: string, context: Context): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in context))
      throw new Error(`the action uses an expression the runner does not know: ${expr}`);
    return context[expr]!;
  });
}

function readOutputs(path: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return outputs;
}

/** Async: the fake GitHub server answering the scripts lives in the test process and must keep running. */
function runBash(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

export async function runAction(
  action: ActionFile,
  options: { inputs: Record<string, string>; env: NodeJS.ProcessEnv; workdir: string; tempDir: string },
): Promise<StepRun[]> {
  const context: Context = {
    'github.token': options.env.GITHUB_TOKEN ?? '',
    'github.action_path': options.env.GITHUB_ACTION_PATH ?? '',
  };
  for (const [name, input] of Object.entries(action.inputs)) {
    const given = options.inputs[name] ?? substitute(input.default ?? '', context);
    if (input.required && given === '') throw new Error(`input ${name} is required`);
    context[`inputs.${name}`] = given;
  }
  const runs: StepRun[] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    const name = substitute(step.name ?? step.id ?? `step ${index}`, context);
    if (step.uses) {
      runs.push({ name, skipped: true, status: 0, stdout: '', stderr: '', outputs: {} });
      continue;
    }
    const outputFile = join(options.tempDir, `output-${index}`);
    writeFileSync(outputFile, '');
    const env: NodeJS.ProcessEnv = { ...options.env, GITHUB_OUTPUT: outputFile };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = substitute(String(value), context);
    const script = join(options.tempDir, `step-${index}.sh`);
    writeFileSync(script, substitute(step.run ?? '', context));
    const result = await runBash(script, options.workdir, env);
    const outputs = readOutputs(outputFile);
    if (step.id) for (const [k, v] of Object.entries(outputs)) context[`steps.${step.id}.outputs.${k}`] = v;
    runs.push({ name, skipped: false, ...result, outputs });
  }
  return runs;
}
