/** A manifest: the Kubernetes envelope around a Graph resource, as loaded from a policy repository. */
import type { SourceLocation } from './diagnostics.ts';

export const API_VERSION = 'accord.dev/v1alpha1';
/** The annotation that pins a manifest to a tenant object's id (written by `export` and `adopt`). */
export const ID_ANNOTATION = 'accord.dev/id';

export interface ManifestMetadata {
  name: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: ManifestMetadata;
  spec: Record<string, unknown>;
  /** Where the document starts, and where each JSON pointer inside it is (for diagnostics). */
  source: ManifestSource;
}

export interface ManifestSource {
  file: string;
  /** Index of the document inside a multi-document file (0-based). */
  document: number;
  location: SourceLocation;
  /** Finds the location of a JSON pointer inside this document; falls back to the nearest ancestor. */
  locate(pointer: string): SourceLocation;
}

export function pinnedId(manifest: Pick<Manifest, 'metadata'>): string | undefined {
  const id = manifest.metadata.annotations?.[ID_ANNOTATION];
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
}
