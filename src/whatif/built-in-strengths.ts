/** The three built-in authentication strengths (graph-contract §5), for callers without a tenant to ask. */
import { BUILT_IN_AUTHENTICATION_STRENGTHS } from '../model/built-in-strengths.ts';
import type { AuthenticationStrength } from './types.ts';

export const MFA_STRENGTH_ID = '00000000-0000-0000-0000-000000000002';

export const BUILT_IN_STRENGTHS: readonly AuthenticationStrength[] = BUILT_IN_AUTHENTICATION_STRENGTHS.map(
  (s) => ({
    id: s.id,
    displayName: s.displayName,
    allowedCombinations: [...s.allowedCombinations],
  }),
);

export const MFA_COMBINATIONS: readonly string[] = BUILT_IN_STRENGTHS[0]!.allowedCombinations;
