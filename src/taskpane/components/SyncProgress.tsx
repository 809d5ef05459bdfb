import { Field, ProgressBar } from '@fluentui/react-components';
import type * as React from 'react';
import { useTranslation } from 'react-i18next';
import type { SchedulerSnapshot } from '../model';

/**
 * SPEC S4: how far the run under way is. Reading has no count the engine knows in advance, so the
 * bar is indeterminate then; writing counts the plan's operations, and (issue 16 item 4) says how
 * many are left and about how long they take at the run's pace — the pacer's waits for Graph's
 * budget included, so a first sync larger than the budget says it takes longer.
 */
export function SyncProgress(props: { snapshot: SchedulerSnapshot }) {
  const { t } = useTranslation();
  const { state, progress } = props.snapshot;
  if (state !== 'syncing') return null;
  const writing = progress?.phase === 'writing' && progress.total > 0 ? progress : null;
  let text = t('status.progress.reading');
  let hint: React.ReactNode = text;
  if (writing) {
    const left = Math.max(0, writing.total - writing.done);
    const eta = writing.etaSeconds ?? null;
    const remaining =
      eta === null
        ? t('status.progress.remainingUnknown', { left })
        : eta < 60
          ? t('status.progress.remainingSoon', { left })
          : t('status.progress.remaining', { left, minutes: Math.ceil(eta / 60) });
    const at = t('status.progress.writing', { done: writing.done + 1, total: writing.total });
    text = `${at}. ${remaining}`;
    hint = (
      <>
        <span>{at}</span>
        <br />
        <span>{remaining}</span>
      </>
    );
  }
  return (
    <Field label={t('status.progress.label')} hint={hint}>
      <ProgressBar
        thickness="large"
        {...(writing ? { value: writing.done, max: writing.total } : {})}
        aria-valuetext={text}
      />
    </Field>
  );
}
