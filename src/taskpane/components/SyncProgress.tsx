import { Field, ProgressBar } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { SchedulerSnapshot } from '../model';

/**
 * SPEC S4: how far the run under way is. Reading has no count the engine knows in advance, so the
 * bar is indeterminate then; writing counts the plan's operations.
 */
export function SyncProgress(props: { snapshot: SchedulerSnapshot }) {
  const { t } = useTranslation();
  const { state, progress } = props.snapshot;
  if (state !== 'syncing') return null;
  const writing = progress?.phase === 'writing' && progress.total > 0 ? progress : null;
  const hint = writing
    ? t('status.progress.writing', { done: writing.done + 1, total: writing.total })
    : t('status.progress.reading');
  return (
    <Field label={t('status.progress.label')} hint={hint}>
      <ProgressBar
        thickness="large"
        {...(writing ? { value: writing.done, max: writing.total } : {})}
        aria-valuetext={hint}
      />
    </Field>
  );
}
