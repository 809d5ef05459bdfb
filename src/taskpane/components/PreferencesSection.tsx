import { Button, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Save20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { ActivityType } from '../model';
import { useActivityTypes, type ActivityTypesState } from '../hooks/useActivityTypes';
import { usePreferencesForm } from '../hooks/usePreferencesForm';
import { directions, type DraftProblems } from '../preferences/preferencesDraft';
import { Notice } from './kit/Notice';
import { Actions } from './kit/Section';
import { CalendarOptions } from './preferences/CalendarOptions';
import { ChoiceField } from './preferences/ChoiceField';
import { DefaultTypeField } from './preferences/DefaultTypeField';
import { DirectionFields } from './preferences/DirectionFields';
import { LanguageFields } from './preferences/LanguageFields';
import { PreferencesGroup } from './preferences/PreferencesGroup';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
});

const privateModes = ['full', 'busy', 'skip'] as const;
const conflictPolicies = ['newest-wins', 'outlook-wins', 'crm-wins'] as const;
const contactModes = ['off', 'twoWay', 'crmToOutlook'] as const;

/**
 * The Preferences section (SPEC W1–W2, T1–T3, P1, L1–L2, C4, K1, E5, O1): in the pane's tab, or
 * alone when the ribbon's Preferences button opens the pane on it (`?view=preferences`).
 */
export function PreferencesSection() {
  const { t } = useTranslation();
  const styles = useStyles();
  const form = usePreferencesForm();
  const typesState = useActivityTypes();
  const { draft, check, save } = form;
  const types = typesState.kind === 'ready' ? typesState.types : null;
  const picklist = draft.picklistLanguage ?? draft.language;
  const nameOf = (type: ActivityType) => type.names[picklist] || type.name;
  const problems: DraftProblems = check.kind === 'invalid' ? check.problems : {};
  const noPersonalType = types !== null && !types.some((type) => type.personal);
  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void form.submit();
      }}
    >
      <TypesNotice state={typesState} />
      {directions.map((direction) => (
        <DirectionFields
          key={direction}
          direction={direction}
          draft={draft[direction]}
          problems={problems}
          types={types}
          nameOf={nameOf}
          onChange={(next) => form.update((d) => ({ ...d, [direction]: next }))}
        />
      ))}
      <PreferencesGroup title={t('preferences.defaultType.heading')}>
        <DefaultTypeField
          value={draft.defaultTypeId}
          types={types}
          nameOf={nameOf}
          onChange={(defaultTypeId) => form.update((d) => ({ ...d, defaultTypeId }))}
        />
      </PreferencesGroup>
      <PreferencesGroup title={t('preferences.private.label')}>
        <ChoiceField
          label={t('preferences.private.question')}
          value={draft.privateMode}
          choices={privateModes.map((value) => ({
            value,
            label: t(`preferences.private.${value}`),
          }))}
          onChange={(privateMode) => form.update((d) => ({ ...d, privateMode }))}
        />
        {noPersonalType && draft.privateMode === 'full' && (
          <Notice intent="warning">{t('preferences.private.noPersonalType')}</Notice>
        )}
      </PreferencesGroup>
      <PreferencesGroup title={t('preferences.languages.heading')}>
        <LanguageFields
          language={draft.language}
          picklistLanguage={draft.picklistLanguage}
          onChange={(next) => form.update((d) => ({ ...d, ...next }))}
        />
      </PreferencesGroup>
      <PreferencesGroup title={t('preferences.options.heading')}>
        <CalendarOptions
          value={draft.options}
          onChange={(options) => form.update((d) => ({ ...d, options }))}
        />
      </PreferencesGroup>
      <PreferencesGroup title={t('preferences.contacts.heading')}>
        <ChoiceField
          label={t('preferences.contacts.label')}
          hint={t('preferences.contacts.hint')}
          value={draft.contactSync}
          choices={contactModes.map((value) => ({
            value,
            label: t(`preferences.contacts.${value}`),
          }))}
          onChange={(contactSync) => form.update((d) => ({ ...d, contactSync }))}
        />
      </PreferencesGroup>
      <PreferencesGroup title={t('preferences.conflict.heading')}>
        <ChoiceField
          label={t('preferences.conflict.label')}
          hint={t('preferences.conflict.hint')}
          value={draft.conflictPolicy}
          choices={conflictPolicies.map((value) => ({
            value,
            label: t(`preferences.conflict.${value}`),
          }))}
          onChange={(conflictPolicy) => form.update((d) => ({ ...d, conflictPolicy }))}
        />
      </PreferencesGroup>
      {check.kind === 'invalid' && <Notice intent="error">{t('preferences.fixErrors')}</Notice>}
      <Actions>
        <Button
          type="submit"
          appearance="primary"
          icon={<Save20Regular />}
          disabled={check.kind === 'invalid'}
          disabledFocusable={save.kind === 'saving'}
        >
          {t('preferences.save')}
        </Button>
        {save.kind === 'saving' && <Spinner size="tiny" label={t('preferences.saving')} />}
      </Actions>
      <div role="status">
        {save.kind === 'saved' && <Notice intent="success">{t('preferences.saved')}</Notice>}
      </div>
      {save.kind === 'failed' && <Notice intent="error">{t('preferences.saveFailed')}</Notice>}
    </form>
  );
}

/** Why the type fields cannot be used right now, if they cannot. */
function TypesNotice(props: { state: ActivityTypesState }) {
  const { t } = useTranslation();
  const { state } = props;
  if (state.kind === 'loading')
    return <Spinner size="tiny" label={t('preferences.types.loading')} />;
  if (state.kind === 'ready') return null;
  return (
    <Notice>
      {state.reason === 'signedOut'
        ? t('preferences.types.signedOut')
        : t('preferences.types.failed')}
    </Notice>
  );
}
