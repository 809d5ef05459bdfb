import { Button } from '@fluentui/react-components';
import { ArrowClockwise20Regular, LinkDismiss20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { StatusAction } from '../hooks/useStatus';
import { Actions } from './kit/Section';

/** SPEC E2, E4: try an item again, or stop syncing it. `name` tells the buttons apart. */
export function ItemActions(props: {
  itemKey: string;
  name: string;
  canUnlink: boolean;
  onAct: (action: StatusAction, target: string) => void;
}) {
  const { t } = useTranslation();
  const { name } = props;
  const actions = [
    {
      action: 'retry',
      icon: <ArrowClockwise20Regular />,
      label: t('status.item.retry'),
      named: t('status.item.retryNamed', { name }),
    },
    ...(props.canUnlink
      ? [
          {
            action: 'unlink',
            icon: <LinkDismiss20Regular />,
            label: t('status.item.unlink'),
            named: t('status.item.unlinkNamed', { name }),
          } as const,
        ]
      : []),
  ] as const;
  return (
    <Actions>
      {actions.map(({ action, icon, label, named }) => (
        <Button
          key={action}
          size="small"
          icon={icon}
          aria-label={named}
          onClick={() => props.onAct(action, props.itemKey)}
        >
          {label}
        </Button>
      ))}
    </Actions>
  );
}
