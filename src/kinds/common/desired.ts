/** The desired object of a manifest that maps to one tenant object (most kinds): identity by pinned id or displayName. */
import type { GraphBody } from '../../core/graph-port.ts';
import type { DesiredObject } from '../../core/kind.ts';
import { pinnedId, type Manifest } from '../../core/manifest.ts';

export function desiredFromManifest(kind: string, manifest: Manifest, state: GraphBody): DesiredObject {
  const desired: DesiredObject = {
    kind,
    name: manifest.metadata.name,
    displayName: String(state.displayName),
    state,
    manifest,
  };
  const id = pinnedId(manifest);
  if (id) desired.pinnedId = id;
  return desired;
}
