import { Text, makeStyles, tokens, useId } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  group: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalM,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  heading: { margin: '0' },
});

/** A titled group of fields; the heading names the group for screen readers too. */
export function PreferencesGroup(props: { title: string; children: ReactNode }) {
  const styles = useStyles();
  const headingId = useId('preferences-group');
  return (
    <div role="group" aria-labelledby={headingId} className={styles.group}>
      <Text as="h3" id={headingId} size={300} weight="semibold" className={styles.heading}>
        {props.title}
      </Text>
      {props.children}
    </div>
  );
}
