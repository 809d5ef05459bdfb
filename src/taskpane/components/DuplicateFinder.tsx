import { Button, Caption1, Radio, RadioGroup, Spinner, Text } from '@fluentui/react-components';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarItem } from '../../sync/core/model';
import type { DuplicateGroup } from '../../sync/core/plan/duplicates';
import { formatInstant } from '../status/formatStatus';
import type { ContactDuplicateGroup, DuplicateFinder as Finder } from '../sync/syncController';
import { Notice } from './kit/Notice';
import { Actions, Heading, Lead, Section } from './kit/Section';
import { useKitStyles } from './kit/styles';

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'looking' }
  | {
      readonly kind: 'found';
      readonly groups: readonly DuplicateGroup[];
      /** SPEC K3: empty when the finder has no contacts. */
      readonly contacts: readonly ContactDuplicateGroup[];
    }
  | { readonly kind: 'failed' };

function when(item: CalendarItem, language: string): string {
  const t = item.time;
  return t.kind === 'timed' ? formatInstant(t.start, language) : t.startDate;
}

/** One group: pick the one to keep, then keep it alone or merge the others into it. */
function GroupAnswer(props: {
  title: string;
  members: readonly { readonly id: string; readonly label: ReactNode }[];
  onAnswer: (keepId: string, merge: boolean) => Promise<void>;
}) {
  const { t } = useTranslation();
  const styles = useKitStyles();
  const labelId = useId();
  const [keepId, setKeepId] = useState(props.members[0]?.id ?? '');
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
    <li className={styles.row}>
      <Text weight="semibold" id={labelId}>
        {props.title}
      </Text>
      <RadioGroup
        aria-labelledby={labelId}
        value={keepId}
        onChange={(_e, data) => setKeepId(data.value)}
      >
        {props.members.map((m) => (
          <Radio key={m.id} value={m.id} label={<span className={styles.text}>{m.label}</span>} />
        ))}
      </RadioGroup>
      <Actions>
        <Button disabledFocusable={busy} onClick={() => void answer(false)}>
          {t('status.duplicates.keep')}
        </Button>
        <Button disabledFocusable={busy} onClick={() => void answer(true)}>
          {t('status.duplicates.merge')}
        </Button>
      </Actions>
    </li>
  );
}

/** The caption after a member's name: what tells look-alikes apart (text only). */
function Details(props: { parts: readonly (string | null)[] }) {
  const styles = useKitStyles();
  const parts = props.parts.filter((p): p is string => !!p);
  return parts.length === 0 ? null : (
    <Caption1 className={styles.muted}>{parts.map((p) => ` · ${p}`).join('')}</Caption1>
  );
}

/** SPEC M3, K3: the duplicate finder for appointments and contacts, on the Status tab. */
export function DuplicateFinder(props: { finder: Finder; onDone: (ok: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const { finder } = props;
  const look = async () => {
    setState({ kind: 'looking' });
    try {
      const [groups, contacts] = await Promise.all([
        finder.find(),
        finder.findContacts ? finder.findContacts() : [],
      ]);
      setState({ kind: 'found', groups, contacts });
    } catch {
      setState({ kind: 'failed' });
    }
  };
  const answered = async (work: Promise<void>) => {
    try {
      await work;
      props.onDone(true);
    } catch {
      props.onDone(false);
    }
    await look();
  };
  const others = (ids: readonly string[], keepId: string) => ids.filter((id) => id !== keepId);
  const onAnswer = (group: DuplicateGroup, keepId: string, merge: boolean) =>
    answered(
      finder.resolve({
        side: group.side,
        keepId,
        otherIds: others(
          group.members.map((m) => m.id),
          keepId,
        ),
        merge,
      }),
    );
  const onContactAnswer = (group: ContactDuplicateGroup, keepId: string, merge: boolean) =>
    answered(
      finder.resolveContacts
        ? finder.resolveContacts({
            keepId,
            otherIds: others(
              group.members.map((m) => m.id),
              keepId,
            ),
            merge,
          })
        : Promise.reject(new Error('No contact finder')),
    );
  const found = state.kind === 'found' ? state : null;
  return (
    <Section
      headingId="status-duplicates-heading"
      title={t('status.duplicates.title')}
      lead={t('status.duplicates.body')}
    >
      <Actions>
        <Button disabledFocusable={state.kind === 'looking'} onClick={() => void look()}>
          {t('status.duplicates.look')}
        </Button>
      </Actions>
      {state.kind === 'looking' && <Spinner size="tiny" label={t('status.duplicates.looking')} />}
      {state.kind === 'failed' && <Notice intent="error">{t('status.duplicates.failed')}</Notice>}
      {found && found.groups.length === 0 && found.contacts.length === 0 && (
        <Lead>{t('status.duplicates.none')}</Lead>
      )}
      {found && found.groups.length > 0 && (
        <GroupList headingId="status-duplicates-heading">
          {found.groups.map((g) => (
            <GroupAnswer
              key={g.id}
              title={t('status.duplicates.groupTitle', {
                side: t(`status.sides.${g.side}`),
                count: g.members.length,
              })}
              members={g.members.map((m) => ({
                id: m.id,
                label: (
                  <>
                    {m.item.subject || t('status.item.unknown')}
                    <Details parts={[when(m.item, i18n.language), m.item.location]} />
                  </>
                ),
              }))}
              onAnswer={(keepId, merge) => onAnswer(g, keepId, merge)}
            />
          ))}
        </GroupList>
      )}
      {found && found.contacts.length > 0 && (
        <>
          <Heading level={4} id="status-duplicates-contacts-heading">
            {t('status.duplicates.contactsTitle')}
          </Heading>
          <Lead>{t('status.duplicates.contactsBody')}</Lead>
          <GroupList headingId="status-duplicates-contacts-heading">
            {found.contacts.map((g) => (
              <GroupAnswer
                key={g.id}
                title={t('status.duplicates.contactGroupTitle', { count: g.members.length })}
                members={g.members.map((m) => ({
                  id: m.id,
                  label: (
                    <>
                      {m.name || t('status.duplicates.noName')}
                      <Details parts={[m.email, m.company]} />
                    </>
                  ),
                }))}
                onAnswer={(keepId, merge) => onContactAnswer(g, keepId, merge)}
              />
            ))}
          </GroupList>
        </>
      )}
    </Section>
  );
}

function GroupList(props: { headingId: string; children: ReactNode }) {
  return (
    <ul className={useKitStyles().list} aria-labelledby={props.headingId}>
      {props.children}
    </ul>
  );
}
