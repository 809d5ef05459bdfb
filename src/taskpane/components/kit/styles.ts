/**
 * The pane's component kit (issue 13): the styles every part of the pane shares, on Fluent tokens
 * only, so the look follows the theme. Text wraps anywhere: hostile subjects and addresses without
 * spaces still fit a 320 px pane.
 */
import { makeStyles, tokens } from '@fluentui/react-components';

export const useKitStyles = makeStyles({
  /** A section: a column of its parts. */
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  /** A section with more room between its parts (forms, summaries). */
  roomy: { rowGap: tokens.spacingVerticalM },
  heading: { margin: '0' },
  text: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  /** A row of buttons (and the spinner of what they started), wrapping in a narrow pane. */
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
  /** A list without bullets whose rows are separated by a thin line. */
  list: { listStyleType: 'none', margin: '0', padding: '0' },
  row: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});
