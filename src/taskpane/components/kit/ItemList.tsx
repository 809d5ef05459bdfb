/**
 * The pane's component kit (issue 13): one section with a level-3 heading, an optional lead text,
 * and a list of rows — or a line saying the list is empty. The Status view's set-aside items and
 * trash, and the item view's sync history are all this shape; they differ only in what a row
 * holds. On Fluent tokens only, so the look follows the theme; text wraps anywhere (hostile
 * subjects without spaces still fit 320 px).
 */
import { Body1, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { Key, ReactNode } from 'react';

export const useKitStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: '0' },
  list: { listStyleType: 'none', margin: '0', padding: '0' },
  row: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  text: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});

export function ItemList<T>(props: {
  /** The heading's id: the section and the list are labelled by it. */
  headingId: string;
  title: string;
  /** A line under the heading saying what the list is. */
  lead?: string;
  empty: string;
  items: readonly T[];
  itemKey: (item: T) => Key;
  /** What one row holds (inside its <li>). */
  renderItem: (item: T) => ReactNode;
}) {
  const styles = useKitStyles();
  return (
    <section className={styles.root} aria-labelledby={props.headingId}>
      <Text as="h3" size={300} weight="semibold" className={styles.heading} id={props.headingId}>
        {props.title}
      </Text>
      {props.lead !== undefined && <Body1 className={styles.muted}>{props.lead}</Body1>}
      {props.items.length === 0 ? (
        <Body1 className={styles.muted}>{props.empty}</Body1>
      ) : (
        <ul className={styles.list} aria-labelledby={props.headingId}>
          {props.items.map((item) => (
            <li key={props.itemKey(item)} className={styles.row}>
              {props.renderItem(item)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
