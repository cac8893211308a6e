/**
 * A small Dockerfile reader for the image test: instructions per stage, with line continuations joined, comments
 * and parser directives dropped, and `${ARG}` / `$ARG` in FROM replaced by the global ARG defaults (as BuildKit does
 * when no --build-arg is given). Enough for the Dockerfile in this repository, not a general parser.
 */

export interface Instruction {
  /** Upper-case instruction name: FROM, RUN, COPY, USER, ... */
  name: string;
  /** The rest of the line, continuations joined with a space. */
  args: string;
  line: number;
}

export interface Stage {
  /** The base image after ARG substitution. */
  image: string;
  /** `FROM image AS name`; empty when unnamed. */
  name: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const instructions = joinLines(text);
  const globals = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.name === 'FROM') {
      const [image = '', as, name = ''] = instruction.args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      if (as !== undefined && as.toUpperCase() !== 'AS')
        throw new Error(`line ${instruction.line}: FROM ${instruction.args}`);
      stages.push({ image: substitute(image, globals, instruction.line), name, instructions: [] });
      continue;
    }
    const current = stages.at(-1);
    if (current === undefined) {
      if (instruction.name !== 'ARG')
        throw new Error(`line ${instruction.line}: ${instruction.name} before FROM`);
      const [key = '', value = ''] = instruction.args.split(/=(.*)/s);
      globals.set(key.trim(), value.trim().replace(/^"(.*)"$/, '$1'));
      continue;
    }
    current.instructions.push(instruction);
  }
  return stages;
}

function joinLines(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (pending === undefined && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending !== undefined && line.trimStart().startsWith('#')) return; // comment inside a continuation
    const piece = line.endsWith('\\') ? line.slice(0, -1) : line;
    pending = pending
      ? { text: `${pending.text} ${piece.trim()}`, line: pending.line }
      : { text: piece.trim(), line: index + 1 };
    if (!line.endsWith('\\')) {
      const match = /^(\S+)\s*(.*)$/s.exec(pending.text);
      if (match)
        result.push({
          name: (match[1] ?? '').toUpperCase(),
          args: (match[2] ?? '').trim(),
          line: pending.line,
        });
      pending = undefined;
    }
  });
  return result;
}

function substitute(value: string, args: Map<string, string>, line: number): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const key = braced ?? bare ?? '';
    const found = args.get(key);
    if (found === undefined) throw new Error(`line ${line}: ARG ${key} has no default`);
    return found;
  });
}
