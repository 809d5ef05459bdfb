/**
 * The pane's component kit (issue 13): a section with a list of rows — or a line saying the list
 * is empty. The Status view's set-aside items and trash, and the item view's sync history are all
 * this shape; they differ only in what a row holds.
 */
import type { Key, ReactNode } from 'react';
import { Lead, Section } from './Section';
import { useKitStyles } from './styles';

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
    <Section headingId={props.headingId} title={props.title} lead={props.lead}>
      {props.items.length === 0 ? (
        <Lead>{props.empty}</Lead>
      ) : (
        <ul className={styles.list} aria-labelledby={props.headingId}>
          {props.items.map((item) => (
            <li key={props.itemKey(item)} className={styles.row}>
              {props.renderItem(item)}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
