/**
 * The pane's component kit (issue 13): the frame of a view over one Outlook item (the item view,
 * the message view) — a column of parts, a head with the subject — and the notice a part shows
 * instead of its content. Fluent tokens only; text wraps anywhere (hostile subjects fit 320 px).
 */
import { MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';

export const useViewStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  head: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  subject: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});

/** A part's state in words (loading failed, not connected, gone…), as a multiline message bar. */
export function Notice(props: { text: string; intent?: 'info' | 'error' | 'warning' }) {
  return (
    <MessageBar intent={props.intent ?? 'info'} layout="multiline">
      <MessageBarBody>{props.text}</MessageBarBody>
    </MessageBar>
  );
}
