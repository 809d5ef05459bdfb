import {
  Tab,
  TabList,
  makeStyles,
  tokens,
  type SelectTabData,
  type SelectTabEvent,
} from '@fluentui/react-components';
import {
  DocumentOnePage20Regular,
  History20Regular,
  PersonKey20Regular,
  Settings20Regular,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { sectionIds, type SectionId } from '../sections';

const icons: Readonly<Record<SectionId, ReactElement>> = {
  connection: <PersonKey20Regular />,
  preferences: <Settings20Regular />,
  status: <History20Regular />,
  item: <DocumentOnePage20Regular />,
};

// Four tabs do not fit in one row of a 320 px pane in every language: let them wrap.
const useStyles = makeStyles({
  nav: { padding: `0 ${tokens.spacingHorizontalS}` },
  list: { flexWrap: 'wrap' },
});

export const tabId = (section: SectionId) => `tab-${section}`;
export const panelId = (section: SectionId) => `panel-${section}`;

/** The section tabs; arrow keys move between them (Fluent's TabList keyboard model). */
export function SectionNav(props: {
  selected: SectionId;
  onTabSelect: (event: SelectTabEvent, data: SelectTabData) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <nav aria-label={t('nav.label')} className={styles.nav}>
      <TabList
        className={styles.list}
        selectedValue={props.selected}
        onTabSelect={props.onTabSelect}
        size="small"
      >
        {sectionIds.map((section) => (
          <Tab
            key={section}
            value={section}
            id={tabId(section)}
            aria-controls={panelId(section)}
            icon={icons[section]}
          >
            {t(`sections.${section}.tab`)}
          </Tab>
        ))}
      </TabList>
    </nav>
  );
}
