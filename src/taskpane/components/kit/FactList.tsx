/**
 * The pane's component kit (issue 13): facts as a description list — a muted term above its
 * value. Values are often long single words (addresses): they wrap rather than widen the pane.
 */
import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    rowGap: tokens.spacingVerticalXS,
    margin: '0',
  },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  value: { margin: `0 0 ${tokens.spacingVerticalS}`, overflowWrap: 'anywhere' },
});

export function FactList(props: { facts: readonly (readonly [term: string, value: string])[] }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      {props.facts.map(([term, value]) => (
        <div key={term}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
