/**
 * The unit tests' Griffel renderer (./jsdomStyles.tsx): what can hide an element still reaches
 * jsdom — a button hidden by a Griffel class is hidden to Testing Library as in a browser — and
 * nothing else does.
 */
import { makeStyles } from '@fluentui/react-components';
import { render, screen } from '@testing-library/react';
import { JsdomStyles } from './jsdomStyles';

const useStyles = makeStyles({
  hidden: { display: 'none' },
  invisible: { visibility: 'hidden' },
  red: { color: 'rgb(255, 0, 0)' },
});

function Buttons() {
  const styles = useStyles();
  return (
    <>
      <button className={styles.hidden}>Gone</button>
      <button className={styles.invisible}>Unseen</button>
      <button className={styles.red}>Shown</button>
    </>
  );
}

test('display and visibility rules hide as in a browser; other rules are left out', () => {
  render(<Buttons />, { wrapper: JsdomStyles });
  expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Shown']);
  expect(screen.getAllByRole('button', { hidden: true })).toHaveLength(3);
  const shown = screen.getByRole('button', { name: 'Shown' });
  expect(getComputedStyle(screen.getByText('Gone')).display).toBe('none');
  expect(getComputedStyle(screen.getByText('Unseen')).visibility).toBe('hidden');
  expect(getComputedStyle(shown).color).not.toBe('rgb(255, 0, 0)');
});
