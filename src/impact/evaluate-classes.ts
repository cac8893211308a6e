/**
 * The outcome differences of every class, evaluated as little as possible. Two further collapses on top of the
 * classes, both exact:
 * - classes whose relevant policies cover them alike on both sides (an "identity signature": the bits of the
 *   decisive policies that cover them) have the same outcomes everywhere: evaluated once per signature;
 * - (application, context) combinations that let the same decisive policies through on both sides have the same
 *   outcomes for everyone: evaluated once per distinct pair of policy sets, and never when neither lets any through.
 * The differences found per signature are then recorded for each class in directory order, so the tally sees the
 * same sequence as a per-class run. Pure.
 */
import { userPassBits } from '../whatif/compiled/compile-identity.ts';
import type { UserClass } from './equivalence-classes.ts';
import { combinationOutcome, type ImpactSide } from './impact-side.ts';
import type { ImpactTally } from './impact-tally.ts';

/** Words hashed and kept, with a list of members; found again by hash and exact comparison. */
class WordsIndex<T> {
  readonly keys: Uint32Array[] = [];
  readonly members: T[][] = [];
  readonly #byHash = new Map<number, number[]>();

  /** The index of `words` (added if new), with `member` appended to its members. */
  add(words: Uint32Array, member: T): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
    h &= 0x3fffffff;
    const candidates = this.#byHash.get(h);
    if (candidates) {
      for (const c of candidates) {
        if (equalWords(this.keys[c]!, words)) {
          this.members[c]!.push(member);
          return c;
        }
      }
    }
    const index = this.keys.length;
    this.keys.push(words.slice());
    this.members.push([member]);
    if (candidates) candidates.push(index);
    else this.#byHash.set(h, [index]);
    return index;
  }

  get size(): number {
    return this.keys.length;
  }
}

function equalWords(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Distinct (before, after) pairs of combination policy sets that let some decisive policy through. */
function distinctCombinations(before: ImpactSide, after: ImpactSide, count: number): WordsIndex<number> {
  const index = new WordsIndex<number>();
  const key = new Uint32Array(before.words + after.words);
  for (let k = 0; k < count; k++) {
    let any = 0;
    for (let w = 0; w < before.words; w++) any |= key[w] = before.combinations[k * before.words + w]!;
    for (let w = 0; w < after.words; w++)
      any |= key[before.words + w] = after.combinations[k * after.words + w]!;
    if (any !== 0) index.add(key, k);
  }
  return index;
}

/** Classes grouped by the decisive policies covering them on each side. */
function identitySignatures(classes: readonly UserClass[], before: ImpactSide, after: ImpactSide) {
  const index = new WordsIndex<number>();
  const passBefore = new Uint32Array(before.words);
  const passAfter = new Uint32Array(after.words);
  const key = new Uint32Array(before.words + after.words);
  const signatureOf = new Int32Array(classes.length);
  classes.forEach((cls, i) => {
    userPassBits(before.engine.identity, cls.compiled, before.relevant, passBefore);
    userPassBits(after.engine.identity, cls.compiled, after.relevant, passAfter);
    key.set(passBefore, 0);
    key.set(passAfter, before.words);
    signatureOf[i] = index.add(key, i);
  });
  return { index, signatureOf };
}

/** A difference: the distinct combination and the outcomes before and after. */
interface Difference {
  combination: number;
  before: number;
  after: number;
}

/**
 * Records every outcome difference of every class in `tally`. Returns the evaluations performed per side (one per
 * signature and distinct combination).
 */
export function evaluateByClass(
  classes: readonly UserClass[],
  sides: readonly [ImpactSide, ImpactSide],
  tally: ImpactTally,
): number {
  const [before, after] = sides;
  const contexts = before.contexts.length;
  const combinations = distinctCombinations(before, after, before.apps.length * contexts);
  const { index: signatures, signatureOf } = identitySignatures(classes, before, after);
  const differences: Difference[][] = signatures.keys.map((key) => {
    const passBefore = key.subarray(0, before.words);
    const passAfter = key.subarray(before.words);
    const found: Difference[] = [];
    for (let g = 0; g < combinations.size; g++) {
      const k = combinations.members[g]![0]!;
      const ob = combinationOutcome(before, passBefore, k);
      const oa = combinationOutcome(after, passAfter, k);
      if (ob !== oa) found.push({ combination: g, before: ob, after: oa });
    }
    return found;
  });
  classes.forEach((cls, i) => {
    for (const d of differences[signatureOf[i]!]!) {
      for (const k of combinations.members[d.combination]!)
        tally.record(cls, i, Math.floor(k / contexts), k % contexts, d.before, d.after);
    }
  });
  return signatures.size * combinations.size;
}
