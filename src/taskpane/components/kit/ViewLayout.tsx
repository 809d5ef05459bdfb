/**
 * The pane's component kit (issue 13): the frame of a view over one Outlook item (the item view,
 * the message view) — a column of parts, a head with the subject. A part that cannot show its
 * content shows a kit `Notice` instead. Fluent tokens only; text wraps anywhere (hostile subjects
 * fit 320 px).
 */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useViewStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  head: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  subject: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});
