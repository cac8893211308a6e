/**
 * The plan as one pull-request comment: hidden markers, then the plan's Markdown (src/render/plan-markdown.ts). Pure:
 * the same plan always renders the same body (no timestamps), so a content hash tells whether the sticky comment
 * needs updating. Bodies over GitHub's limit are cut between items (a finding, a change, an unmanaged object), never
 * inside a table or a collapsible section, with a pointer to the full plan in the job summary.
 */
import type { Plan } from '../core/plan.ts';
import { plural } from '../render/markdown-text.ts';
import {
  buildPlanMarkdown,
  joinPlanMarkdown,
  type MarkdownSection,
  type PlanMarkdownOptions,
} from '../render/plan-markdown.ts';
import { contentHash, hashMarker, planMarker } from './markers.ts';

/** GitHub refuses issue and pull-request comments longer than this (characters). */
export const COMMENT_LIMIT = 65_536;

export interface PlanCommentOptions extends PlanMarkdownOptions {
  /** The workflow run, where the job summary holds the full plan. */
  runUrl?: string;
  /** Characters; defaults to GitHub's comment limit. */
  limit?: number;
  /** Hidden lines that open the body (default: the sticky plan comment's marker and content hash). */
  markers?: (hash: string) => string;
}

export interface PlanComment {
  /** The comment body: marker, hash, content, maybe a truncation notice. */
  body: string;
  /** Hash of the plan content (not of the run link), recorded in the body. */
  hash: string;
  truncated: boolean;
  /** The whole plan as Markdown, for the job summary. */
  full: string;
}

/**
 * How many items of each section fit in `budget` characters, earlier sections first; a section's opening and closing
 * count with its first item.
 */
function fitting(sections: readonly MarkdownSection[], budget: number): number[] {
  let left = budget;
  let full = true;
  return sections.map((section) => {
    let kept = 0;
    for (const item of section.items) {
      const cost = item.length + 1 + (kept === 0 ? section.open.length + section.close.length + 2 : 0);
      if (!full || cost > left) {
        full = false;
        break;
      }
      left -= cost;
      kept++;
    }
    return kept;
  });
}

function omittedItems(sections: readonly MarkdownSection[], kept: readonly number[]): string {
  const omitted = sections
    .map((s, i) => ({ noun: s.noun, count: s.items.length - (kept[i] ?? 0) }))
    .filter((o) => o.count > 0)
    .map((o) => plural(o.count, o.noun));
  return omitted.length > 0 ? omitted.join(' and ') : 'part of the plan';
}

/** Above the plan, so a reader knows before scrolling; and a pointer where the list stops. */
function truncationNotices(omitted: string, runUrl: string | undefined): { top: string; bottom: string } {
  const where = runUrl ? `the [job summary of this run](${runUrl})` : 'the job summary of this run';
  return {
    top: `> ✂️ **This plan is too long for a comment**: ${omitted} not shown here. The full plan is in ${where}, or run \`accord plan\` locally.\n`,
    bottom: `\n> ✂️ Not shown here: ${omitted}. The full plan is in ${where}.\n`,
  };
}

export function renderPlanComment(plan: Plan, options: PlanCommentOptions = {}): PlanComment {
  const limit = options.limit ?? COMMENT_LIMIT;
  const markdown = buildPlanMarkdown(plan, options);
  const full = joinPlanMarkdown(markdown);
  const hash = contentHash(full);
  const markers = options.markers ?? ((h: string) => `${planMarker(plan.tenant.name)}\n${hashMarker(h)}`);
  const prefix = `${markers(hash)}\n`;
  if (prefix.length + full.length <= limit) return { body: prefix + full, hash, truncated: false, full };
  // Keep the head whole; fill what is left with items, findings first.
  const sections = markdown.sections;
  const none = sections.map(() => 0);
  const worst = truncationNotices(omittedItems(sections, none), options.runUrl);
  const frame = joinPlanMarkdown(markdown, { kept: none, notice: worst.top }).length + worst.bottom.length;
  const kept = fitting(sections, limit - prefix.length - frame);
  const notices = truncationNotices(omittedItems(sections, kept), options.runUrl);
  const body = prefix + joinPlanMarkdown(markdown, { kept, notice: notices.top }) + notices.bottom;
  return { body, hash, truncated: true, full };
}
