/**
 * The pane's component kit (issue 13): a section labelled by its heading (level 3 for a part of a
 * view, level 4 for a part of a part), an optional lead text under the heading, and a row of
 * actions. The Status, connection, item and message views are all built of these.
 */
import { Body1, Text, mergeClasses } from '@fluentui/react-components';
import type { ComponentProps, ReactNode } from 'react';
import { useKitStyles } from './styles';

export function Heading(props: { id?: string; level?: 3 | 4; children: ReactNode }) {
  const styles = useKitStyles();
  const level = props.level ?? 3;
  return (
    <Text
      as={level === 3 ? 'h3' : 'h4'}
      size={level === 3 ? 300 : 200}
      weight="semibold"
      className={styles.heading}
      id={props.id}
    >
      {props.children}
    </Text>
  );
}

/** A muted line saying what a section or list is for. */
export function Lead(props: { children: ReactNode }) {
  return <Body1 className={useKitStyles().muted}>{props.children}</Body1>;
}

/** A row of buttons that wraps in a narrow pane. */
export function Actions(props: { children: ReactNode }) {
  return <div className={useKitStyles().actions}>{props.children}</div>;
}

export function Section(
  props: Omit<ComponentProps<'section'>, 'title'> & {
    /** The heading's id: the section is labelled by it. */
    headingId: string;
    title: ReactNode;
    level?: 3 | 4;
    lead?: string;
    /** More room between the parts (a form, a summary). */
    roomy?: boolean;
  },
) {
  const styles = useKitStyles();
  const { headingId, title, level, lead, roomy, children, className, ...rest } = props;
  return (
    <section
      {...rest}
      className={mergeClasses(styles.root, roomy && styles.roomy, className)}
      aria-labelledby={headingId}
    >
      <Heading id={headingId} level={level}>
        {title}
      </Heading>
      {lead !== undefined && <Lead>{lead}</Lead>}
      {children}
    </section>
  );
}
