import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { CalendarSync24Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { useConnectionState } from '../hooks/useConnectionState';
import { ConnectionBadge } from './ConnectionBadge';
import { LanguagePicker } from './LanguagePicker';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL} ${tokens.spacingVerticalS}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  title: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  glyph: { color: tokens.colorBrandForeground1, flexShrink: 0 },
  // Long compound words (German, Finnish) must wrap rather than widen a 320 px pane.
  heading: { margin: '0', overflowWrap: 'anywhere', hyphens: 'auto' },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
});

/** Product name, CRM connection state and the language picker: the frame every view shares. */
export function AppHeader() {
  const { t } = useTranslation();
  const styles = useStyles();
  const connection = useConnectionState();
  return (
    <header className={styles.header}>
      <div className={styles.title}>
        <CalendarSync24Regular className={styles.glyph} aria-hidden />
        <Text as="h1" size={500} weight="semibold" className={styles.heading}>
          {t('app.name')}
        </Text>
      </div>
      <div className={styles.row}>
        <ConnectionBadge state={connection} />
        <LanguagePicker />
      </div>
    </header>
  );
}
