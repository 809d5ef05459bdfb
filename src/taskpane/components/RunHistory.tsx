import {
  Caption1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusAction } from '../hooks/useStatus';
import { failureReason, formatInstant } from '../status/formatStatus';
import type { RunView } from '../status/statusService';
import { ItemActions } from './ItemActions';
import { Lead, Section } from './kit/Section';
import { useKitStyles } from './kit/styles';

const useStyles = makeStyles({
  table: { tableLayout: 'fixed', width: '100%' },
  when: { width: '42%' },
  failures: {
    listStyleType: 'none',
    margin: '0',
    padding: `0 0 ${tokens.spacingVerticalS}`,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
  },
  failure: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

/** SPEC E2: each run, what it changed, what failed and why; failed items can be retried. */
export function RunHistory(props: {
  runs: readonly RunView[];
  onAct: (action: StatusAction, target: string) => void;
  /** False where unlinking is not offered (sync on the company's service, issue 17). */
  canUnlink?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const styles = { ...useKitStyles(), ...useStyles() };
  const result = (run: RunView) => {
    const parts = [t(`status.history.state.${run.state}`)];
    if (run.state !== 'running') parts.push(t('status.history.changes', { count: run.changes }));
    if (run.failures.length > 0) {
      parts.push(t('status.history.failed', { count: run.failures.length }));
    }
    return parts.join(' · ');
  };
  return (
    <Section headingId="status-history-heading" title={t('status.history.title')}>
      {props.runs.length === 0 ? (
        <Lead>{t('status.history.empty')}</Lead>
      ) : (
        <Table size="small" className={styles.table} aria-labelledby="status-history-heading">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.when}>{t('status.history.when')}</TableHeaderCell>
              <TableHeaderCell>{t('status.history.result')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {props.runs.map((run) => (
              <Fragment key={run.id}>
                <TableRow data-run-state={run.state}>
                  <TableCell>{formatInstant(run.startedAt, i18n.language)}</TableCell>
                  <TableCell className={run.failures.length > 0 ? styles.failed : undefined}>
                    {result(run)}
                  </TableCell>
                </TableRow>
                {run.failures.length > 0 && (
                  <TableRow>
                    <TableCell colSpan={2}>
                      <ul
                        className={styles.failures}
                        aria-label={t('status.history.failuresOf', {
                          time: formatInstant(run.startedAt, i18n.language),
                        })}
                      >
                        {run.failures.map((failure, index) => {
                          const name =
                            failure.itemKey === '*'
                              ? t('status.history.wholeRun')
                              : (failure.subject ?? t('status.item.unknown'));
                          return (
                            <li key={`${failure.itemKey}-${index}`} className={styles.failure}>
                              <Text weight="semibold" className={styles.text}>
                                {name}
                              </Text>
                              <Caption1 className={styles.muted}>
                                {failureReason(failure.code, t)}
                              </Caption1>
                              {failure.itemKey !== '*' && failure.unresolved && (
                                <ItemActions
                                  itemKey={failure.itemKey}
                                  name={name}
                                  canUnlink={props.canUnlink !== false}
                                  onAct={props.onAct}
                                />
                              )}
                            </li>
                          );
                        })}
                      </ul>
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}
