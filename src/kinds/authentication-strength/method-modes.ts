/** Canonical order of authentication method modes inside a strength's combinations (graph-contract §5). */
import { AUTHENTICATION_METHOD_MODES as MODES } from '../../model/authentication-method-modes.ts';

export const AUTHENTICATION_METHOD_MODES: readonly string[] = MODES;

function findMode(part: string): string {
  const lower = part.toLowerCase();
  return AUTHENTICATION_METHOD_MODES.find((m) => m.toLowerCase() === lower) ?? part;
}

function rankOf(mode: string): number {
  const index = AUTHENTICATION_METHOD_MODES.indexOf(mode);
  return index === -1 ? AUTHENTICATION_METHOD_MODES.length : index;
}

/** `'microsoftAuthenticatorPush, Password'` → `'password,microsoftAuthenticatorPush'`. */
export function canonicalizeCombination(combination: string): string {
  const modes = new Set(
    combination
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map(findMode),
  );
  return [...modes].sort((a, b) => rankOf(a) - rankOf(b) || (a < b ? -1 : a > b ? 1 : 0)).join(',');
}

/** Every combination canonical, duplicates dropped, the list sorted. */
export function canonicalizeCombinations(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [];
  return [...new Set(list.map((c) => canonicalizeCombination(String(c))))].sort();
}
