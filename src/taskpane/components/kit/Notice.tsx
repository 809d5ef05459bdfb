/**
 * The pane's component kit (issue 13): a state in words — loading failed, not connected, saved,
 * a warning before something — as a multiline Fluent message bar, with an optional title and
 * actions.
 */
import {
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';

export function Notice(props: {
  intent?: 'info' | 'success' | 'warning' | 'error';
  title?: ReactNode;
  /** Buttons at the bar's end (retry, sign in). */
  actions?: ReactNode;
  /** 'alert' where the bar appears as the answer to something the person did. */
  role?: 'alert';
  'data-testid'?: string;
  children: ReactNode;
}) {
  // Only what is set: an explicit `role={undefined}` would take away the bar's own role (group).
  const extra = {
    ...(props.role !== undefined && { role: props.role }),
    ...(props['data-testid'] !== undefined && { 'data-testid': props['data-testid'] }),
  };
  return (
    <MessageBar intent={props.intent ?? 'info'} layout="multiline" {...extra}>
      <MessageBarBody>
        {props.title !== undefined && <MessageBarTitle>{props.title}</MessageBarTitle>}
        {props.title !== undefined && ' '}
        {props.children}
      </MessageBarBody>
      {props.actions !== undefined && <MessageBarActions>{props.actions}</MessageBarActions>}
    </MessageBar>
  );
}
