import { Badge } from '@fluentui/react-components';
import {
  ArrowSyncCircle16Regular,
  ErrorCircle16Regular,
  PlugConnected16Regular,
  PlugDisconnected16Regular,
} from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../hooks/useConnectionState';

const appearance = {
  notConnected: { color: 'informative', icon: <PlugDisconnected16Regular /> },
  connecting: { color: 'brand', icon: <ArrowSyncCircle16Regular /> },
  connected: { color: 'success', icon: <PlugConnected16Regular /> },
  error: { color: 'danger', icon: <ErrorCircle16Regular /> },
} as const;

/** The CRM connection state in the header; a live region, so a change is announced. */
export function ConnectionBadge(props: { state: ConnectionState }) {
  const { t } = useTranslation();
  const { color, icon } = appearance[props.state.kind];
  return (
    <span
      role="status"
      aria-label={`${t('connection.label')}: ${t(`connection.${props.state.kind}`)}`}
    >
      <Badge appearance="tint" color={color} icon={icon} aria-hidden>
        {t(`connection.${props.state.kind}`)}
      </Badge>
    </span>
  );
}
