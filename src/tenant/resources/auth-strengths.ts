import type { Route } from '../graph-types.ts';

/** Not implemented yet. */
export const authStrengthsRoutes: Route[] = [];
