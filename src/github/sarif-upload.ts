/**
 * Uploads a SARIF file to code scanning: `POST /repos/{owner}/{repo}/code-scanning/sarifs` with the log gzipped and
 * base64-encoded, for the commit and ref the workflow runs on.
 */
import { gzipSync } from 'node:zlib';
import type { GithubClient } from './github-client.ts';
import type { RepoRef } from './github-context.ts';

export interface SarifUpload extends RepoRef {
  sarif: string;
  commitSha: string;
  ref: string;
}

export class SarifInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SarifInvalid';
  }
}

/** The body code scanning expects: gzip, then base64. */
export function encodeSarif(sarif: string): string {
  return gzipSync(Buffer.from(sarif, 'utf8')).toString('base64');
}

function checkSarif(text: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SarifInvalid('the SARIF file is not JSON');
  }
  const log = parsed as { version?: unknown; runs?: unknown };
  if (log.version !== '2.1.0' || !Array.isArray(log.runs))
    throw new SarifInvalid('the SARIF file is not SARIF 2.1.0 (version and runs)');
}

export async function uploadSarif(
  client: GithubClient,
  upload: SarifUpload,
): Promise<{ id: string | undefined; url: string | undefined }> {
  checkSarif(upload.sarif);
  const response = await client.rest.codeScanning.uploadSarif({
    owner: upload.owner,
    repo: upload.repo,
    commit_sha: upload.commitSha,
    ref: upload.ref,
    sarif: encodeSarif(upload.sarif),
    tool_name: 'accord',
  });
  return { id: response.data.id, url: response.data.url };
}
