import { useCallback, useState } from 'react';
import type { SelectTabData, SelectTabEvent } from '@fluentui/react-components';
import { isSectionId, type SectionId } from '../sections';

/** Which section the pane shows; the TabList reports selections through `onTabSelect`. */
export function useSelectedSection(initial: SectionId = 'connection') {
  const [selected, setSelected] = useState<SectionId>(initial);
  const onTabSelect = useCallback((_event: SelectTabEvent, data: SelectTabData) => {
    if (isSectionId(data.value)) setSelected(data.value);
  }, []);
  return { selected, onTabSelect };
}
