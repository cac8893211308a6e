/**
 * Fault injection for reliability tests: by route (method + path regex) and either by rate (a seeded random draw)
 * or by a scripted sequence of outcomes. The `*-after-commit` kinds run the request, commit it, and then fail the
 * response — the ambiguous failures (a timeout on create) that clients must survive without duplicating writes.
 */
import { mulberry32 } from '../util/random.ts';

export const FAULT_KINDS = [
  '429',
  '500',
  '503',
  '504',
  'timeout',
  'drop',
  'slow',
  'drop-after-commit',
  'timeout-after-commit',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** Only requests with this method (any if absent). */
  method?: string;
  /** A regular expression matched against the request path including the version, e.g. `^/v1.0/identity/`. */
  path?: string;
  kind?: FaultKind;
  /** Probability in [0, 1] for each matching request. */
  rate?: number;
  /** Outcomes for the next matching requests, in order; `ok` lets one through. Consumed as used. */
  sequence?: (FaultKind | 'ok')[];
  /** For `slow` and the timeouts: how long to hold the request (ms). */
  delayMs?: number;
}

export interface FaultConfig {
  seed?: number;
  rules: FaultRule[];
}

export interface FaultDecision {
  kind: FaultKind;
  delayMs: number;
}

interface CompiledRule {
  rule: FaultRule;
  path: RegExp | undefined;
}

export class FaultInjector {
  private rules: CompiledRule[] = [];
  private random: () => number = Math.random;
  /** How many faults of each kind were injected since the last configure(). */
  readonly injected = new Map<FaultKind, number>();

  configure(config: FaultConfig): void {
    for (const rule of config.rules) validateRule(rule);
    this.rules = config.rules.map((rule) => ({
      rule: { ...rule, sequence: rule.sequence ? [...rule.sequence] : undefined },
      path: rule.path ? new RegExp(rule.path, 'i') : undefined,
    }));
    this.random = config.seed === undefined ? Math.random : mulberry32(config.seed);
    this.injected.clear();
  }

  clear(): void {
    this.configure({ rules: [] });
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  decide(method: string, path: string): FaultDecision | undefined {
    for (const { rule, path: regex } of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (regex && !regex.test(path)) continue;
      const kind = this.pick(rule);
      if (kind === undefined) continue;
      this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
      return { kind, delayMs: rule.delayMs ?? defaultDelay(kind) };
    }
    return undefined;
  }

  private pick(rule: FaultRule): FaultKind | undefined {
    if (rule.sequence && rule.sequence.length > 0) {
      const next = rule.sequence.shift()!;
      return next === 'ok' ? undefined : next;
    }
    if (rule.sequence) return undefined;
    if (rule.rate !== undefined && rule.kind && this.random() < rule.rate) return rule.kind;
    return undefined;
  }
}

function defaultDelay(kind: FaultKind): number {
  if (kind === 'slow') return 2_000;
  if (kind === 'timeout' || kind === 'timeout-after-commit') return 120_000;
  return 0;
}

export function validateRule(rule: FaultRule): void {
  const kinds: readonly string[] = FAULT_KINDS;
  if (rule.kind !== undefined && !kinds.includes(rule.kind))
    throw new Error(`unknown fault kind '${String(rule.kind)}'`);
  for (const step of rule.sequence ?? []) {
    if (step !== 'ok' && !kinds.includes(step))
      throw new Error(`unknown fault kind '${String(step)}' in sequence`);
  }
  if (rule.rate !== undefined && (typeof rule.rate !== 'number' || rule.rate < 0 || rule.rate > 1)) {
    throw new Error('rate must be a number between 0 and 1');
  }
  if (rule.rate !== undefined && rule.kind === undefined) throw new Error('a rate needs a kind');
  if (rule.path !== undefined) new RegExp(rule.path);
}
