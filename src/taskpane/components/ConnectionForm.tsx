import {
  Button,
  Checkbox,
  Field,
  Spinner,
  makeStyles,
  tokens,
  useId,
} from '@fluentui/react-components';
import { PlugConnected20Regular } from '@fluentui/react-icons';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldName, FieldProblem } from '../connection/validateConnectionForm';
import { describeError } from '../errors/describeError';
import { useConnectionForm } from '../hooks/useConnectionForm';
import type { ConnectionStatus } from '../hooks/connectionStatus';
import { ConnectionProblemBar } from './ConnectionProblemBar';
import { useConnection } from './ConnectionProvider';
import { InputField } from './kit/InputField';
import { Notice } from './kit/Notice';
import { Actions } from './kit/Section';
import { useKitStyles } from './kit/styles';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
});

type Busy = Extract<ConnectionStatus, { kind: 'connecting' | 'removing' }> | null;

/** SPEC C1–C3: the connection form; "Save" checks every field, then connects. */
export function ConnectionForm(props: { busy: Busy }) {
  const { t } = useTranslation();
  const styles = { ...useKitStyles(), ...useStyles() };
  const { status, removeLocalPairing } = useConnection();
  const form = useConnectionForm();
  const ids = {
    apiKey: useId('api-key'),
    address: useId('crm-address'),
    username: useId('crm-username'),
    password: useId('crm-password'),
  } satisfies Record<FieldName, string>;
  const formRef = useRef<HTMLFormElement>(null);
  const busy = props.busy !== null;

  const message = (problem: FieldProblem | undefined, field: FieldName) => {
    if (!problem) return undefined;
    if (problem.kind === 'required') return t(`signIn.${field}.required`);
    if (problem.kind === 'tooLong') return t('signIn.tooLong', { max: problem.max });
    if (problem.kind === 'invalidKey') return t('signIn.apiKey.invalid');
    return describeError(problem.error, t).title;
  };
  // Long hints (the Settings → Webservice API keys path) and addresses wrap in a 320 px pane.
  const field = (name: FieldName) => ({
    id: ids[name],
    label: t(`signIn.${name}.label`),
    required: true,
    problem: message(form.problems[name], name),
    value: form.values[name],
    onChange: (_e: unknown, data: { value: string }) => form.setField(name, data.value),
    disabled: busy,
  });

  return (
    <form
      ref={formRef}
      className={styles.form}
      noValidate
      aria-busy={busy}
      onSubmit={(event) => {
        void form.submit(event).then((wrong) => {
          // Keyboard and screen reader users land on the first field to fix.
          if (wrong) formRef.current?.ownerDocument.getElementById(ids[wrong])?.focus();
        });
      }}
    >
      {status.kind === 'signedOut' && status.notice && (
        <Notice intent="success">{t(`signIn.notice.${status.notice}`)}</Notice>
      )}
      <InputField
        {...field('apiKey')}
        hint={t('signIn.apiKey.hint')}
        autoComplete="off"
        spellCheck={false}
      />
      <InputField
        {...field('address')}
        hint={t('signIn.address.hint')}
        type="url"
        inputMode="url"
        autoComplete="url"
        spellCheck={false}
      />
      <InputField {...field('username')} autoComplete="username" spellCheck={false} />
      <InputField
        {...field('password')}
        hint={t('signIn.password.hint')}
        type="password"
        autoComplete="current-password"
      />
      <InputField
        label={t('signIn.mailbox.label')}
        hint={t('signIn.mailbox.hint')}
        value={form.mailbox}
        readOnly
      />
      <Field className={styles.text} hint={t('signIn.remember.hint')}>
        <Checkbox
          label={t('signIn.remember.label')}
          checked={form.remember}
          onChange={(_e, data) => form.setRemember(data.checked === true)}
          disabled={busy}
        />
      </Field>
      {status.kind === 'signedOut' && status.problem && (
        <ConnectionProblemBar
          problem={status.problem}
          onForcedRemoval={() => void removeLocalPairing()}
        />
      )}
      <Actions>
        <Button
          type="submit"
          appearance="primary"
          icon={<PlugConnected20Regular />}
          disabledFocusable={busy}
        >
          {t('signIn.save')}
        </Button>
        {props.busy && (
          <Spinner
            size="tiny"
            label={
              props.busy.kind === 'connecting'
                ? t('signIn.connecting')
                : t('signIn.forcedRemoval.removing')
            }
          />
        )}
      </Actions>
    </form>
  );
}
