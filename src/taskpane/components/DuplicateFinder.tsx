import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarItem } from '../../sync/core/model';
import type { DuplicateGroup } from '../../sync/core/plan/duplicates';
import { formatInstant } from '../status/formatStatus';
import type { DuplicateFinder as Finder } from '../sync/startSync';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: '0' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  group: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  label: { overflowWrap: 'anywhere' },
});

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'looking' }
  | { readonly kind: 'found'; readonly groups: readonly DuplicateGroup[] }
  | { readonly kind: 'failed' };

function when(item: CalendarItem, language: string): string {
  const t = item.time;
  return t.kind === 'timed' ? formatInstant(t.start, language) : t.startDate;
}

/** One group: pick the one to keep, then keep it alone or merge the others into it. */
function GroupAnswer(props: {
  group: DuplicateGroup;
  onAnswer: (keepId: string, merge: boolean) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const labelId = useId();
  const [keepId, setKeepId] = useState(props.group.members[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const answer = async (merge: boolean) => {
    setBusy(true);
    try {
      await props.onAnswer(keepId, merge);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={styles.group}>
      <Text weight="semibold" id={labelId}>
        {t('status.duplicates.groupTitle', {
          side: t(`status.sides.${props.group.side}`),
          count: props.group.members.length,
        })}
      </Text>
      <RadioGroup
        aria-labelledby={labelId}
        value={keepId}
        onChange={(_e, data) => setKeepId(data.value)}
      >
        {props.group.members.map((m) => (
          <Radio
            key={m.id}
            value={m.id}
            label={
              <span className={styles.label}>
                {m.item.subject || t('status.item.unknown')}
                <Caption1 className={styles.muted}>
                  {' · '}
                  {when(m.item, i18n.language)}
                  {m.item.location ? ` · ${m.item.location}` : ''}
                </Caption1>
              </span>
            }
          />
        ))}
      </RadioGroup>
      <div className={styles.actions}>
        <Button disabledFocusable={busy} onClick={() => void answer(false)}>
          {t('status.duplicates.keep')}
        </Button>
        <Button disabledFocusable={busy} onClick={() => void answer(true)}>
          {t('status.duplicates.merge')}
        </Button>
      </div>
    </li>
  );
}

/** SPEC M3: the duplicate finder for appointments, on the Status tab. */
export function DuplicateFinder(props: { finder: Finder; onDone: (ok: boolean) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const look = async () => {
    setState({ kind: 'looking' });
    try {
      setState({ kind: 'found', groups: await props.finder.find() });
    } catch {
      setState({ kind: 'failed' });
    }
  };
  const onAnswer = async (group: DuplicateGroup, keepId: string, merge: boolean) => {
    try {
      await props.finder.resolve({
        side: group.side,
        keepId,
        otherIds: group.members.map((m) => m.id).filter((id) => id !== keepId),
        merge,
      });
      props.onDone(true);
    } catch {
      props.onDone(false);
    }
    await look();
  };
  return (
    <section className={styles.root} aria-labelledby="status-duplicates-heading">
      <Text
        as="h3"
        size={300}
        weight="semibold"
        className={styles.heading}
        id="status-duplicates-heading"
      >
        {t('status.duplicates.title')}
      </Text>
      <Body1 className={styles.muted}>{t('status.duplicates.body')}</Body1>
      <div className={styles.actions}>
        <Button disabledFocusable={state.kind === 'looking'} onClick={() => void look()}>
          {t('status.duplicates.look')}
        </Button>
      </div>
      {state.kind === 'looking' && <Spinner size="tiny" label={t('status.duplicates.looking')} />}
      {state.kind === 'failed' && (
        <MessageBar intent="error">
          <MessageBarBody>{t('status.duplicates.failed')}</MessageBarBody>
        </MessageBar>
      )}
      {state.kind === 'found' &&
        (state.groups.length === 0 ? (
          <Body1 className={styles.muted}>{t('status.duplicates.none')}</Body1>
        ) : (
          <ul
            style={{ listStyleType: 'none', margin: 0, padding: 0 }}
            aria-labelledby="status-duplicates-heading"
          >
            {state.groups.map((g) => (
              <GroupAnswer
                key={g.id}
                group={g}
                onAnswer={(keepId, merge) => onAnswer(g, keepId, merge)}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}
