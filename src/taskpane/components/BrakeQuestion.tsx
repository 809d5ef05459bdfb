import {
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AskedBrake, HeldItem } from '../model';
import { formatStart } from '../status/formatStatus';
import { useKitStyles } from './kit/styles';

const useStyles = makeStyles({
  body: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    minWidth: '0',
  },
  // Every held item is listed (the confirmation allows exactly these): a long list scrolls inside
  // the bar, and the region takes the keyboard focus so it can be scrolled without a mouse.
  scroll: {
    maxHeight: '240px',
    overflowY: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    paddingInline: tokens.spacingHorizontalS,
    ':focus-visible': {
      outlineStyle: 'solid',
      outlineWidth: tokens.strokeWidthThick,
      outlineColor: tokens.colorStrokeFocus2,
    },
  },
});

/** What one brake is about, in words: its kind, its side, its counts. */
function describe(brake: AskedBrake['brake'], t: TFunction): string {
  const contacts = brake.items === 'contacts';
  if (brake.kind === 'massDelete') {
    const counts = { destructive: brake.destructive, linked: brake.linked };
    return contacts
      ? t('status.brake.massDeleteContacts', counts)
      : t('status.brake.massDelete', counts);
  }
  const linked = { linked: brake.linked };
  if (brake.side === 'outlook') {
    return contacts
      ? t('status.brake.emptyOutlookContacts', linked)
      : t('status.brake.emptyOutlook', linked);
  }
  return contacts ? t('status.brake.emptyCrmContacts', linked) : t('status.brake.emptyCrm', linked);
}

/** In calendar order (ISO instants and dates sort as strings), no time last; then by name. */
function inCalendarOrder(items: readonly HeldItem[]): HeldItem[] {
  const when = (item: HeldItem) => item.start ?? '\uffff';
  return [...items].sort((a, b) =>
    when(a) === when(b) ? a.subject.localeCompare(b.subject) : when(a) < when(b) ? -1 : 1,
  );
}

/** One brake's held items: every one of them, subject (or name) and when. */
function HeldList(props: { asked: AskedBrake; index: number }) {
  const { t, i18n } = useTranslation();
  const kit = useKitStyles();
  const styles = useStyles();
  const { brake, items } = props.asked;
  const headingId = `brake-held-${props.index}`;
  if (items.length === 0) return <Text>{t('status.brake.nothingHeld')}</Text>;
  const heading =
    brake.items === 'contacts'
      ? t('status.brake.heldContacts', { count: items.length })
      : t('status.brake.held', { count: items.length });
  return (
    <>
      <Text id={headingId} weight="semibold">
        {heading}
      </Text>
      <div
        className={styles.scroll}
        role="region"
        aria-labelledby={headingId}
        // Focusable so a keyboard can scroll a list longer than the bar.
        tabIndex={0}
      >
        <ul className={kit.list} data-brake-held={brake.items ?? 'calendar'}>
          {inCalendarOrder(items).map((item) => (
            <li key={item.id} className={kit.row}>
              {/* Subjects and names are whatever people typed: React escapes them; they wrap. */}
              <Text className={kit.text}>{item.subject || t('status.brake.noSubject')}</Text>
              {item.start !== null && (
                <Caption1 className={kit.muted}>{formatStart(item.start, i18n.language)}</Caption1>
              )}
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}

/**
 * SPEC D3: a run stopped before deleting, cancelling or overwriting many linked items, or because
 * one side suddenly listed nothing. Each brake of the run (activities, contacts) says why and lists
 * every item it holds; "Go ahead" runs once with a confirmation of exactly those items (and, for a
 * side-empty brake, that side), "Not now" lets regular runs resume.
 */
export function BrakeQuestion(props: {
  asked: readonly AskedBrake[];
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <MessageBar intent="warning" layout="multiline" role="alert">
      <MessageBarBody className={styles.body}>
        <div>
          <MessageBarTitle>{t('status.brake.title')}</MessageBarTitle>{' '}
          {props.asked.map((asked) => describe(asked.brake, t)).join(' ')}
        </div>
        {props.asked.map((asked, index) => (
          <HeldList key={asked.brake.items ?? 'calendar'} asked={asked} index={index} />
        ))}
        <div>{t('status.brake.question')}</div>
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={props.onConfirm}>
          {t('status.brake.confirm')}
        </Button>
        <Button onClick={props.onDismiss}>{t('status.brake.cancel')}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
