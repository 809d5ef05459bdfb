import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { ExclusionReason } from '../../sync/core/plan/types';
import type { PreviewItem, SyncPreview } from '../model';
import { describeError } from '../errors/describeError';
import type { PreviewState } from '../hooks/useFirstSyncPreview';
import { Notice } from './kit/Notice';
import { Heading, Lead, Section } from './kit/Section';

const useStyles = makeStyles({
  header: { minWidth: '0' },
  // Subjects are whatever people typed: long words wrap instead of widening the pane.
  headerText: { overflowWrap: 'anywhere' },
  list: {
    margin: '0',
    paddingInlineStart: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
  },
  subject: { overflowWrap: 'anywhere' },
  when: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/** At most this many subjects per group: the counts are the point, the names a reminder. */
const SHOWN = 20;

function ItemList(props: { items: readonly PreviewItem[] }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const day = (start: string) => {
    const date = new Date(start.length === 10 ? `${start}T12:00:00Z` : start);
    return Number.isNaN(date.getTime())
      ? ''
      : new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(date);
  };
  const rest = props.items.length - SHOWN;
  // In calendar order, as a person reads a calendar (ISO instants and dates sort as strings).
  const sorted = [...props.items].sort((a, b) => a.start.localeCompare(b.start));
  return (
    <ul className={styles.list}>
      {sorted.slice(0, SHOWN).map((item) => (
        <li key={`${item.side}:${item.id}`} data-preview-item>
          <span className={styles.subject}>{item.subject || t('signIn.preview.noSubject')}</span>{' '}
          <span className={styles.when}>{day(item.start)}</span>
        </li>
      ))}
      {rest > 0 && <li className={styles.when}>{t('signIn.preview.more', { count: rest })}</li>}
    </ul>
  );
}

type Group = { key: string; label: string; items: readonly PreviewItem[] };

function groupsOf(preview: SyncPreview, reason: (r: ExclusionReason) => string, t: Labels) {
  const actions: Group[] = [
    { key: 'link', label: t.link, items: preview.items.link },
    { key: 'createInCrm', label: t.createInCrm, items: preview.items.createInCrm },
    { key: 'createInOutlook', label: t.createInOutlook, items: preview.items.createInOutlook },
  ];
  const skipped: Group[] = preview.skipped.map((g) => ({
    key: `skip-${g.reason}`,
    label: reason(g.reason),
    items: g.items,
  }));
  return { actions, skipped };
}

type Labels = { link: string; createInCrm: string; createInOutlook: string };

/** Each group a closed panel headed by its count; an empty group cannot be opened. */
function Groups(props: { groups: readonly Group[] }) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <Accordion multiple collapsible>
      {props.groups.map((group) => (
        <AccordionItem key={group.key} value={group.key} disabled={group.items.length === 0}>
          <AccordionHeader className={styles.header} data-preview-count={group.key}>
            <span className={styles.headerText}>
              {t('signIn.preview.count', { label: group.label, count: group.items.length })}
            </span>
          </AccordionHeader>
          <AccordionPanel>
            <ItemList items={group.items} />
          </AccordionPanel>
        </AccordionItem>
      ))}
    </Accordion>
  );
}

/**
 * SPEC C8: what the first sync would do — items linked, copied each way, and not synced with the
 * reason — before the person starts it. The counts come from the engine's dry run (previewSync).
 */
export function FirstSyncPreview(props: { state: PreviewState; onRetry: () => void }) {
  const { t } = useTranslation();
  const { state } = props;
  const section = { headingId: 'first-sync-preview', title: t('signIn.preview.title') };
  if (state.kind === 'idle') return null;
  if (state.kind === 'loading') {
    return (
      <Section {...section}>
        <Spinner size="tiny" labelPosition="after" label={t('signIn.preview.loading')} />
      </Section>
    );
  }
  if (state.kind === 'failed') {
    const { title, remedy } = describeError(state.error, t);
    return (
      <Section {...section}>
        <Notice
          intent="error"
          role="alert"
          title={t('signIn.preview.failed')}
          actions={
            <Button icon={<ArrowClockwise20Regular />} onClick={props.onRetry}>
              {t('signIn.preview.retry')}
            </Button>
          }
        >
          {title} {remedy}
        </Notice>
      </Section>
    );
  }
  const { preview } = state;
  const { actions, skipped } = groupsOf(
    preview,
    (reason) => t(`signIn.preview.reasons.${reason}`),
    {
      link: t('signIn.preview.link'),
      createInCrm: t('signIn.preview.createInCrm'),
      createInOutlook: t('signIn.preview.createInOutlook'),
    },
  );
  const skippedCount = skipped.reduce((n, g) => n + g.items.length, 0);
  return (
    <Section {...section} data-preview="ready">
      <Lead>{t('signIn.preview.intro')}</Lead>
      <Groups groups={actions} />
      <Heading level={4}>{t('signIn.preview.skipped', { count: skippedCount })}</Heading>
      {skipped.length > 0 && <Groups groups={skipped} />}
      {preview.invitations > 0 && (
        <Notice intent="warning">
          {t('signIn.preview.invitations', { count: preview.invitations })}
        </Notice>
      )}
      {preview.brake && <Notice intent="warning">{t('signIn.preview.brake')}</Notice>}
    </Section>
  );
}
