/** `accord init`: not implemented yet. */
import type { CommandRegistrar } from '../program.ts';

export const registerInitCommand: CommandRegistrar = () => undefined;
