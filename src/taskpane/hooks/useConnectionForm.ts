import { useCallback, useState, type FormEvent } from 'react';
import {
  fieldOrder,
  validateConnectionForm,
  type ConnectionFormValues,
  type FieldName,
  type FieldProblems,
} from '../connection/validateConnectionForm';
import { connectionSettingKeys } from '../connection/connectionService';
import { useConnection } from '../components/ConnectionProvider';
import { useServices } from '../services';

export interface ConnectionForm {
  readonly values: ConnectionFormValues;
  readonly remember: boolean;
  readonly mailbox: string;
  readonly problems: FieldProblems;
  setField(field: FieldName, value: string): void;
  setRemember(value: boolean): void;
  /** Checks every field (SPEC C2) and connects; returns the first wrong field, to focus it. */
  submit(event?: FormEvent): Promise<FieldName | null>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The Sign-in form's fields: prefilled from the last sign-in, else from the configuration. */
export function useConnectionForm(): ConnectionForm {
  const { host, config } = useServices();
  const { connect } = useConnection();
  const [values, setValues] = useState<ConnectionFormValues>(() => ({
    apiKey: '',
    address: text(host.getSetting(connectionSettingKeys.address)) || (config.defaultCrmUrl ?? ''),
    username: text(host.getSetting(connectionSettingKeys.username)),
    password: '',
  }));
  const [remember, setRemember] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>({});
  const mailbox = host.mailboxAddress();

  const setField = useCallback((field: FieldName, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    // A field the person is correcting no longer shows the old complaint.
    setProblems((p) => ({ ...p, [field]: undefined }));
  }, []);

  const submit = useCallback(
    async (event?: FormEvent) => {
      event?.preventDefault();
      const found = validateConnectionForm(values);
      setProblems(found);
      const first = fieldOrder.find((field) => found[field]);
      if (first) return first;
      const ok = await connect({ ...values, remember, mailbox });
      // The password is never kept once it has done its job.
      if (ok) setValues((v) => ({ ...v, password: '' }));
      return null;
    },
    [values, remember, mailbox, connect],
  );

  return { values, remember, mailbox, problems, setField, setRemember, submit };
}
