import { useEffect, useState } from 'react';
import { useServices } from '../services';

/**
 * Increases each time the pinned pane moves to another item (Host.onItemChanged). The item views
 * are keyed by it, so what they loaded, and any half-filled form, belong to one item only: after
 * moving to another mail, "Create activity from this mail" files that mail, not the previous one.
 */
export function useItemVersion(): number {
  const { host } = useServices();
  const [version, setVersion] = useState(0);
  useEffect(() => host.onItemChanged?.(() => setVersion((v) => v + 1)), [host]);
  return version;
}
