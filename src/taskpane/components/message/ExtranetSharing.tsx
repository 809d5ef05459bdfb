import {
  Button,
  Checkbox,
  Field,
  Select,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  NO_EXTRANET_ACCESS,
  type ExtranetAccess,
  type ExtranetRights,
  type ExtranetSections,
} from '../../model';
import type { ExtranetCrm } from '../../message/messageService';
import { ConfirmDialog } from '../kit/ConfirmDialog';
import { Notice } from '../kit/Notice';
import { Actions, Section } from '../kit/Section';
import { useKitStyles } from '../kit/styles';

const useStyles = makeStyles({
  group: {
    display: 'flex',
    flexDirection: 'column',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    margin: 0,
    minWidth: 0,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
});

/** The contract's rule, as the CRM checks it: a valid address (SPEC O3). */
export function hasValidEmail(contact: { readonly email: string | null }): boolean {
  return contact.email !== null && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(contact.email);
}

type Status =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly shared: boolean; readonly note: Note | null }
  | { readonly kind: 'failed' };
type Note = 'invited' | 'saved' | 'stopped' | 'saveFailed';

const rightKeys = ['approveHours', 'comment', 'addFilesAndLinks'] as const;
const sectionKeys = {
  financials: [
    ['invoicing', 'extranet.sections.financials.invoicing'],
    ['billable', 'extranet.sections.financials.billable'],
  ],
  phases: [
    ['gantt', 'extranet.sections.phases.gantt'],
    ['tree', 'extranet.sections.phases.tree'],
    ['hoursWithTimes', 'extranet.sections.phases.hoursWithTimes'],
    ['estimates', 'extranet.sections.phases.estimates'],
  ],
  other: [
    ['status', 'extranet.sections.other.status'],
    ['changeStatus', 'extranet.sections.other.changeStatus'],
    ['filesAndLinks', 'extranet.sections.other.filesAndLinks'],
  ],
} as const;
const groupTitles = {
  financials: 'extranet.sections.financials.title',
  phases: 'extranet.sections.phases.title',
  other: 'extranet.sections.other.title',
} as const;
type Group = keyof typeof sectionKeys;

/** The contact person a project is shared with: a message's sender or an appointment's participant. */
export interface SharingContact {
  /** The contact person's CRM id. */
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

/** SPEC O3: share a project of the contact's customer, change what they may do and see, stop. */
export function ExtranetSharing(props: {
  crm: ExtranetCrm;
  contact: SharingContact;
  projects: readonly { readonly id: string; readonly name: string }[];
}) {
  const { t } = useTranslation();
  const styles = { ...useKitStyles(), ...useStyles() };
  const titleId = useId();
  const { crm, contact, projects } = props;
  const [projectId, setProjectId] = useState(projects[0]?.id ?? '');
  const [access, setAccess] = useState<ExtranetAccess>(NO_EXTRANET_ACCESS);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const name = contact.name;

  useEffect(() => {
    if (projectId === '') return undefined;
    let live = true;
    setStatus({ kind: 'loading' });
    crm.share(projectId, contact.id).then(
      (share) => {
        if (!live) return;
        setAccess(share ? { rights: share.rights, sections: share.sections } : NO_EXTRANET_ACCESS);
        setStatus({ kind: 'ready', shared: share !== null, note: null });
      },
      (error: unknown) => {
        console.warn('Could not read the extranet share', error);
        if (live) setStatus({ kind: 'failed' });
      },
    );
    return () => {
      live = false;
    };
  }, [crm, projectId, contact.id]);

  if (!hasValidEmail(contact)) {
    return <Text className={styles.muted}>{t('extranet.noEmail', { name })}</Text>;
  }
  if (projects.length === 0) {
    return <Text className={styles.muted}>{t('extranet.noProjects')}</Text>;
  }

  const save = async () => {
    setBusy(true);
    try {
      const { invited } = await crm.saveShare(projectId, contact.id, access);
      setStatus({ kind: 'ready', shared: true, note: invited ? 'invited' : 'saved' });
    } catch (error) {
      console.warn('Could not save the extranet share', error);
      setStatus((s) => (s.kind === 'ready' ? { ...s, note: 'saveFailed' } : s));
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    setBusy(true);
    try {
      await crm.stopShare(projectId, contact.id);
      setAccess(NO_EXTRANET_ACCESS);
      setStatus({ kind: 'ready', shared: false, note: 'stopped' });
    } catch (error) {
      console.warn('Could not stop the extranet share', error);
      setStatus((s) => (s.kind === 'ready' ? { ...s, note: 'saveFailed' } : s));
    } finally {
      setBusy(false);
    }
  };
  const setRight = (key: keyof ExtranetRights, value: boolean) =>
    setAccess((a) => ({ ...a, rights: { ...a.rights, [key]: value } }));
  const setSection = (group: Group, key: string, value: boolean) =>
    setAccess((a) => ({
      ...a,
      sections: { ...a.sections, [group]: { ...a.sections[group], [key]: value } },
    }));
  const sections: ExtranetSections = access.sections;

  return (
    <Section headingId={titleId} level={4} title={t('extranet.title', { name })} roomy>
      <Field label={t('extranet.project')}>
        <Select value={projectId} onChange={(_event, data) => setProjectId(data.value)}>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      </Field>
      {status.kind === 'loading' && <Spinner size="tiny" label={t('extranet.loading')} />}
      {status.kind === 'failed' && <Notice intent="error">{t('extranet.loadFailed')}</Notice>}
      {status.kind === 'ready' && (
        <>
          <Text className={styles.muted}>
            {status.shared ? t('extranet.sharedState') : t('extranet.notSharedState')}
          </Text>
          <fieldset className={styles.group}>
            <legend className={styles.legend}>{t('extranet.rights.title')}</legend>
            {rightKeys.map((key) => (
              <Checkbox
                key={key}
                label={t(`extranet.rights.${key}`)}
                checked={access.rights[key]}
                onChange={(_event, data) => setRight(key, data.checked === true)}
              />
            ))}
          </fieldset>
          {(Object.keys(sectionKeys) as Group[]).map((group) => (
            <fieldset key={group} className={styles.group}>
              <legend className={styles.legend}>{t(groupTitles[group])}</legend>
              {sectionKeys[group].map(([key, label]) => (
                <Checkbox
                  key={key}
                  label={t(label)}
                  checked={(sections[group] as Record<string, boolean>)[key] === true}
                  onChange={(_event, data) => setSection(group, key, data.checked === true)}
                />
              ))}
            </fieldset>
          ))}
          <Actions>
            <Button appearance="primary" disabled={busy} onClick={() => void save()}>
              {status.shared ? t('extranet.save') : t('extranet.share')}
            </Button>
            {status.shared && (
              <ConfirmDialog
                trigger={<Button disabled={busy}>{t('extranet.stop')}</Button>}
                title={t('extranet.stopConfirm.title')}
                body={t('extranet.stopConfirm.body', { name })}
                cancel={t('extranet.stopConfirm.cancel')}
                confirm={t('extranet.stopConfirm.confirm')}
                onConfirm={() => void stop()}
              />
            )}
          </Actions>
          <div aria-live="polite">
            {status.note && (
              <Notice intent={status.note === 'saveFailed' ? 'error' : 'success'}>
                {t(`extranet.notes.${status.note}`)}
              </Notice>
            )}
          </div>
        </>
      )}
    </Section>
  );
}
