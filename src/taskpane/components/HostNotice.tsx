import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useServices } from '../services';

/** Says plainly when the pane runs outside Outlook, so demo data is never mistaken for real mail. */
export function HostNotice() {
  const { t } = useTranslation();
  const { host } = useServices();
  if (host.kind !== 'standalone') return null;
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>{t('host.standalone', { address: host.mailboxAddress() })}</MessageBarBody>
    </MessageBar>
  );
}
