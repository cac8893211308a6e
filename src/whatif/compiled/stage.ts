/**
 * The compiled engine's common vocabulary: analysis reasons as small integers, bitsets over policy positions, and
 * a stage's answer (per policy the reason it fails, 0 when it passes, and the passing policies as a bitset).
 */
import type { AnalysisReason } from '../types.ts';

/** Index = reason code; 0 (`notSet`) means "the condition matches". */
export const REASONS: readonly AnalysisReason[] = [
  'notSet',
  'notEnoughInformation',
  'invalidCondition',
  'users',
  'workloadIdentities',
  'application',
  'userActions',
  'authenticationContext',
  'devicePlatform',
  'devices',
  'clientApps',
  'location',
  'signInRisk',
  'emptyPolicy',
  'invalidPolicy',
  'policyNotEnabled',
  'userRisk',
  'time',
  'insiderRisk',
  'authenticationFlow',
];

const CODES = new Map(REASONS.map((r, i) => [r, i]));

export function reasonCode(reason: AnalysisReason | undefined): number {
  return reason === undefined ? 0 : CODES.get(reason)!;
}

/** One stage of §5.3 for every policy: `reasons[p]` (0 = passes) and `pass` (bit p set when it passes). */
export interface StageVerdicts {
  reasons: Uint8Array;
  pass: Uint32Array;
}

export function wordsFor(bits: number): number {
  return Math.max(1, Math.ceil(bits / 32));
}

export function setBit(words: Uint32Array, bit: number): void {
  words[bit >>> 5]! |= 1 << (bit & 31);
}

export function hasBit(words: Uint32Array, bit: number): boolean {
  return (words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
}

/** A stage's verdicts from one reason per policy. */
export function toStage(reasons: Uint8Array): StageVerdicts {
  const pass = new Uint32Array(wordsFor(reasons.length));
  for (let p = 0; p < reasons.length; p++) if (reasons[p] === 0) setBit(pass, p);
  return { reasons, pass };
}

/** Calls `visit` for each set bit, in order. */
export function forEachBit(words: Uint32Array, visit: (bit: number) => void): void {
  for (let w = 0; w < words.length; w++) {
    let word = words[w]!;
    while (word !== 0) {
      const low = word & -word;
      visit(w * 32 + (31 - Math.clz32(low)));
      word ^= low;
    }
  }
}
