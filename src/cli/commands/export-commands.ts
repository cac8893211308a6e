/** `accord export`, `accord adopt`: not implemented yet. */
import type { CommandRegistrar } from '../program.ts';

export const registerExportCommands: CommandRegistrar = () => undefined;
