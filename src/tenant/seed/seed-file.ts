import type { DirectorySeed } from './seed-types.ts';

/** Loads a seed file (YAML). Not implemented yet. */
export function loadSeedFile(path: string): DirectorySeed {
  throw new Error(`seed files are not supported yet (${path})`);
}
