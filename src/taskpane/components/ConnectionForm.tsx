import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
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
import type { ConnectionStatus } from '../hooks/useConnectionMachine';
import { ConnectionProblemBar } from './ConnectionProblemBar';
import { useConnection } from './ConnectionProvider';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  // Long hints (the Settings → Webservice API keys path) and addresses wrap in a 320 px pane.
  field: { overflowWrap: 'anywhere' },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
  },
});

type Busy = Extract<ConnectionStatus, { kind: 'connecting' | 'removing' }> | null;

/** SPEC C1–C3: the connection form; "Save" checks every field, then connects. */
export function ConnectionForm(props: { busy: Busy }) {
  const { t } = useTranslation();
  const styles = useStyles();
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
  const validation = (field: FieldName) => {
    const text = message(form.problems[field], field);
    return text ? { validationMessage: text, validationState: 'error' as const } : {};
  };

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
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>{t(`signIn.notice.${status.notice}`)}</MessageBarBody>
        </MessageBar>
      )}
      <Field
        className={styles.field}
        label={t('signIn.apiKey.label')}
        hint={t('signIn.apiKey.hint')}
        required
        {...validation('apiKey')}
      >
        <Input
          id={ids.apiKey}
          value={form.values.apiKey}
          onChange={(_e, data) => form.setField('apiKey', data.value)}
          autoComplete="off"
          spellCheck={false}
          disabled={busy}
        />
      </Field>
      <Field
        className={styles.field}
        label={t('signIn.address.label')}
        hint={t('signIn.address.hint')}
        required
        {...validation('address')}
      >
        <Input
          id={ids.address}
          type="url"
          inputMode="url"
          value={form.values.address}
          onChange={(_e, data) => form.setField('address', data.value)}
          autoComplete="url"
          spellCheck={false}
          disabled={busy}
        />
      </Field>
      <Field
        className={styles.field}
        label={t('signIn.username.label')}
        required
        {...validation('username')}
      >
        <Input
          id={ids.username}
          value={form.values.username}
          onChange={(_e, data) => form.setField('username', data.value)}
          autoComplete="username"
          spellCheck={false}
          disabled={busy}
        />
      </Field>
      <Field
        className={styles.field}
        label={t('signIn.password.label')}
        hint={t('signIn.password.hint')}
        required
        {...validation('password')}
      >
        <Input
          id={ids.password}
          type="password"
          value={form.values.password}
          onChange={(_e, data) => form.setField('password', data.value)}
          autoComplete="current-password"
          disabled={busy}
        />
      </Field>
      <Field
        className={styles.field}
        label={t('signIn.mailbox.label')}
        hint={t('signIn.mailbox.hint')}
      >
        <Input value={form.mailbox} readOnly />
      </Field>
      <Field className={styles.field} hint={t('signIn.remember.hint')}>
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
      <div className={styles.actions}>
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
      </div>
    </form>
  );
}
