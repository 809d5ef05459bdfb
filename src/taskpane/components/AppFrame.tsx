import { makeStyles, tokens } from '@fluentui/react-components';
import { useSelectedSection } from '../hooks/useSelectedSection';
import type { PaneView } from '../sections';
import { AppHeader } from './AppHeader';
import { HostNotice } from './HostNotice';
import { SectionNav, panelId, tabId } from './SectionNav';
import { SectionPanel } from './SectionPanel';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    minHeight: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  top: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  main: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
  },
  card: {
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow2,
  },
});

/**
 * The app frame: header, then either the tabbed pane or, opened by the ribbon's "Sign in" or
 * "Preferences" (`?view=<section>`), just the one section it asked for.
 */
export function AppFrame(props: { view: PaneView }) {
  const styles = useStyles();
  const { selected, onTabSelect } = useSelectedSection();
  const { view } = props;
  return (
    <div className={styles.root}>
      <div className={styles.top}>
        <AppHeader />
        {view.kind === 'pane' && <SectionNav selected={selected} onTabSelect={onTabSelect} />}
      </div>
      <main className={styles.main}>
        <HostNotice />
        <div className={styles.card}>
          {view.kind === 'pane' ? (
            <SectionPanel section={selected} id={panelId(selected)} labelledBy={tabId(selected)} />
          ) : (
            <SectionPanel section={view.section} />
          )}
        </div>
      </main>
    </div>
  );
}
