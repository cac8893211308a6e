/**
 * Differential test: thousands of random sign-ins over random policies (random-scenarios.ts), each evaluated by
 * the interpreter and by the compiled engine, must agree on every policy's reason and result and on the decision.
 * The case table is compared in test/impact/compiled-cases.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareResults } from '../../../test/impact/compare-results.ts';
import { evaluatePrepared } from '../evaluate.ts';
import { prepareTenant } from '../prepare.ts';
import type { WhatIfOptions } from '../types.ts';
import { BLOCKED, compileEngine, GRANTED, INTERRUPTED } from './compiled-engine.ts';
import { randomSignIn, randomTenant, seededRandom } from './random-scenarios.ts';

const TENANTS = 40;
const SIGN_INS = 150;

function runDifferential(seed: number, options: WhatIfOptions): Map<number, number> {
  const random = seededRandom(seed);
  const decisions = new Map<number, number>();
  for (let t = 0; t < TENANTS; t++) {
    const prepared = prepareTenant(randomTenant(random, 5 + Math.floor(random() * 40)));
    const engine = compileEngine(prepared, options);
    for (let s = 0; s < SIGN_INS; s++) {
      const signIn = randomSignIn(random);
      const actual = engine.evaluate(signIn);
      compareResults(
        evaluatePrepared(prepared, signIn, options),
        actual,
        `seed ${seed} tenant ${t} sign-in ${s}: ${JSON.stringify(signIn)}`,
      );
      decisions.set(actual.decision, (decisions.get(actual.decision) ?? 0) + 1);
    }
  }
  return decisions;
}

describe('compiled engine against the interpreter (randomized)', () => {
  it(`agrees on ${TENANTS * SIGN_INS} random sign-ins with default options`, () => {
    const decisions = runDifferential(20_240_601, {});
    // The generator must exercise every outcome, or the comparison proves little.
    for (const code of [GRANTED, BLOCKED, INTERRUPTED])
      assert.ok((decisions.get(code) ?? 0) > 50, `decision ${code}`);
  });

  it(`agrees on ${TENANTS * SIGN_INS} random sign-ins with the alternative options of ADR 0006`, () => {
    runDifferential(7, { allResourcesIncludeAuthContext: false, missingDeviceInfo: 'notEnoughInformation' });
  });
});
