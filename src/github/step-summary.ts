/**
 * The job summary (`$GITHUB_STEP_SUMMARY`): Markdown appended to a file GitHub shows on the run page. GitHub refuses
 * a step's summary over 1 MiB, so accord cuts its own part to fit what the step has already written.
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';

export const STEP_SUMMARY_LIMIT = 1024 * 1024;

const CUT_NOTICE =
  '\n\n> ✂️ The plan was cut to fit the 1 MiB job summary; run `accord plan` (or `--output json`) for all of it.\n';

/** The longest prefix of `text` whose UTF-8 encoding fits in `bytes`, never splitting a character. */
export function truncateUtf8(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= bytes) return text;
  let end = Math.max(bytes, 0);
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (encoded[end]! & 0xc0) === 0x80) end--;
  return encoded.subarray(0, end).toString('utf8');
}

/** What to append so the file stays within the limit; undefined when nothing fits. */
export function fitSummary(
  markdown: string,
  alreadyWritten: number,
  limit = STEP_SUMMARY_LIMIT,
): string | undefined {
  const room = limit - alreadyWritten;
  const text = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
  if (Buffer.byteLength(text) <= room) return text;
  const roomForText = room - Buffer.byteLength(CUT_NOTICE);
  if (roomForText <= 0) return undefined;
  return truncateUtf8(text, roomForText) + CUT_NOTICE;
}

export interface StepSummaryResult {
  written: boolean;
  path?: string;
  truncated: boolean;
}

/** Appends to `$GITHUB_STEP_SUMMARY` when it is set (outside Actions there is no summary). */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): StepSummaryResult {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return { written: false, truncated: false };
  const already = existsSync(path) ? statSync(path).size : 0;
  const text = fitSummary(markdown, already);
  if (text === undefined) return { written: false, path, truncated: true };
  appendFileSync(path, text);
  return { written: true, path, truncated: text.endsWith(CUT_NOTICE) };
}
