import {
  Button,
  Combobox,
  Field,
  Option,
  OptionGroup,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RelationKind, RelationOption } from '../../model';
import type { OrderedRelations } from '../../item/relationOrder';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalXS },
  field: { flexGrow: 1, minWidth: 0 },
  combo: { minWidth: 0, width: '100%' },
});

/** How long typing pauses before the CRM is asked (one search per pause, not per key). */
export const SEARCH_DELAY_MS = 250;

type Search =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching' }
  | { readonly kind: 'ready'; readonly found: OrderedRelations }
  | { readonly kind: 'failed' };

/**
 * SPEC O1: one relation of the activity with a search. Typing searches the CRM by name; choosing
 * an option saves it at once; the button beside it removes it. Names are text, never markup.
 */
export function RelationPicker(props: {
  kind: RelationKind;
  value: RelationOption | null;
  disabled: boolean;
  /** Heading of the options listed first (the customer's own, SPEC O1), when there are such. */
  ownLabel: string | null;
  search: (q: string) => Promise<OrderedRelations>;
  onChange: (option: RelationOption | null) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { kind, value, search } = props;
  const label = t(`itemView.relations.${kind}`);
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<Search>({ kind: 'idle' });
  useEffect(() => setText(value?.name ?? ''), [value]);

  // While the list is open: search for what is typed (everything when it is the current name).
  const query = text === (value?.name ?? '') ? '' : text.trim();
  useEffect(() => {
    if (!open) return undefined;
    let live = true;
    setResult({ kind: 'searching' });
    const timer = setTimeout(() => {
      search(query).then(
        (found) => live && setResult({ kind: 'ready', found }),
        (error: unknown) => {
          console.warn('Relation search failed', error);
          if (live) setResult({ kind: 'failed' });
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, query, search]);

  const options = (list: readonly RelationOption[]) =>
    list.map((option) => (
      <Option key={option.id} value={option.id} text={option.name}>
        {option.name}
      </Option>
    ));
  const found = result.kind === 'ready' ? result.found : null;
  const all = found ? [...found.own, ...found.others] : [];
  const message =
    result.kind === 'searching' || result.kind === 'idle'
      ? t('itemView.relations.searching')
      : result.kind === 'failed'
        ? t('itemView.relations.searchFailed')
        : all.length === 0
          ? t('itemView.relations.noMatches')
          : null;
  return (
    <div className={styles.row}>
      <Field label={label} className={styles.field}>
        <Combobox
          className={styles.combo}
          freeform
          disabled={props.disabled}
          placeholder={t('itemView.relations.search')}
          value={text}
          selectedOptions={value ? [value.id] : []}
          open={open}
          onOpenChange={(_, data) => {
            setOpen(data.open);
            if (!data.open) setText(value?.name ?? '');
          }}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
          }}
          onOptionSelect={(_, data) => {
            const picked = all.find((option) => option.id === data.optionValue);
            if (!picked) return;
            setText(picked.name);
            if (picked.id !== value?.id) props.onChange(picked);
          }}
        >
          {message !== null && (
            <Option disabled value="" text={message}>
              {message}
            </Option>
          )}
          {found && found.own.length > 0 && props.ownLabel !== null ? (
            <>
              <OptionGroup label={props.ownLabel}>{options(found.own)}</OptionGroup>
              {found.others.length > 0 && (
                <OptionGroup label={t('itemView.relations.others')}>
                  {options(found.others)}
                </OptionGroup>
              )}
            </>
          ) : (
            options(all)
          )}
        </Combobox>
      </Field>
      {value && !props.disabled && (
        <Button
          appearance="subtle"
          icon={<Dismiss20Regular />}
          aria-label={t('itemView.relations.clear', { kind: label })}
          title={t('itemView.relations.clear', { kind: label })}
          onClick={() => props.onChange(null)}
        />
      )}
    </div>
  );
}
