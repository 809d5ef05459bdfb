import { Badge, Body1, Link, makeStyles, tokens } from '@fluentui/react-components';
import { Open16Regular } from '@fluentui/react-icons';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RelationIds, RelationKind, RelationOption } from '../../model';
import { describeError } from '../../errors/describeError';
import type { ItemActivityView, ItemCrm } from '../../item/itemService';
import { orderRelations } from '../../item/relationOrder';
import { Notice } from '../kit/Notice';
import { Actions, Heading, Lead, Section } from '../kit/Section';
import { useKitStyles } from '../kit/styles';
import { RelationPicker } from './RelationPicker';

const useStyles = makeStyles({
  links: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
  },
  link: { display: 'inline-flex', alignItems: 'center', columnGap: tokens.spacingHorizontalXXS },
  relations: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
});

type Save =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved'; readonly what: RelationKind; readonly removed: boolean }
  | { readonly kind: 'failed'; readonly error: unknown };

/** The new relation ids after choosing `option` for `kind`: a customer change drops the others' */
export function nextRelations(
  current: ItemActivityView['relations'],
  kind: RelationKind,
  option: RelationOption | null,
): RelationIds {
  const ids: RelationIds = {
    customerId: current.customer?.id ?? null,
    projectId: current.project?.id ?? null,
    salesCaseId: current.salesCase?.id ?? null,
  };
  if (kind === 'customer') {
    const customerId = option?.id ?? null;
    // A project or sales case of another customer does not stay with the new one.
    const keep = (r: RelationOption | null) =>
      r !== null && customerId !== null && r.customerId === customerId ? r.id : null;
    return { customerId, projectId: keep(current.project), salesCaseId: keep(current.salesCase) };
  }
  const key = kind === 'project' ? 'projectId' : 'salesCaseId';
  // Choosing a project or sales case with no customer set brings its customer along.
  const customerId = ids.customerId ?? option?.customerId ?? null;
  return { ...ids, customerId, [key]: option?.id ?? null };
}

/**
 * SPEC O1, O2: the linked CRM activity — its type, customer, project and sales case (with a
 * relation search), and the links to open it in the CRM and the event in Outlook.
 */
export function LinkedActivity(props: {
  view: ItemActivityView;
  crm: ItemCrm;
  typeName: string;
  /** SPEC F3: only the owner may change the activity. */
  isOwner: boolean;
  /** SPEC O1 "show the customer's relations by default" (Preferences). */
  customerFirst: boolean;
  outlookUrl: string | null;
  onSaved: (view: ItemActivityView) => void;
}) {
  const { t } = useTranslation();
  const styles = { ...useKitStyles(), ...useStyles() };
  const { view, crm, customerFirst } = props;
  const [save, setSave] = useState<Save>({ kind: 'idle' });
  const customer = view.relations.customer;
  const customerId = customer?.id ?? null;

  // Stable per kind, so a picker searches again only when the customer or the option changes.
  const searchCustomer = useCallback(
    async (q: string) => orderRelations(await crm.search('customer', q), null, false),
    [crm],
  );
  const searchProject = useCallback(
    async (q: string) => orderRelations(await crm.search('project', q), customerId, customerFirst),
    [crm, customerId, customerFirst],
  );
  const searchSalesCase = useCallback(
    async (q: string) =>
      orderRelations(await crm.search('salesCase', q), customerId, customerFirst),
    [crm, customerId, customerFirst],
  );
  const searches = { customer: searchCustomer, project: searchProject, salesCase: searchSalesCase };

  const change = async (kind: RelationKind, option: RelationOption | null) => {
    setSave({ kind: 'saving' });
    try {
      const next = await crm.setRelations(
        view.id,
        nextRelations(view.relations, kind, option),
        view.etag,
      );
      props.onSaved(next);
      setSave({ kind: 'saved', what: kind, removed: option === null });
    } catch (error) {
      setSave({ kind: 'failed', error });
    }
  };

  const failure = save.kind === 'failed' ? describeError(save.error, t) : null;
  const kinds: readonly RelationKind[] = ['customer', 'project', 'salesCase'];
  // The activity in the CRM, the event in Outlook: each where there is one.
  const links = [
    { href: view.crmUrl, label: t('itemView.activity.openCrm') },
    { href: props.outlookUrl, label: t('itemView.activity.openOutlook') },
  ].filter((l): l is { href: string; label: string } => l.href !== null);
  return (
    <Section headingId="item-activity-heading" title={t('itemView.activity.title')} roomy>
      <Actions>
        <Body1 className={styles.text}>
          {t('itemView.activity.type', { type: props.typeName })}
        </Body1>
        {view.completed && <Badge appearance="tint">{t('itemView.activity.completed')}</Badge>}
        {view.cancelled && (
          <Badge appearance="tint" color="warning">
            {t('itemView.activity.cancelled')}
          </Badge>
        )}
      </Actions>
      {links.length > 0 && (
        <div className={styles.links}>
          {links.map(({ href, label }) => (
            <Link
              key={label}
              href={href}
              target="_blank"
              rel="noopener noreferrer"
              className={styles.link}
            >
              {label}
              <Open16Regular aria-hidden />
            </Link>
          ))}
        </div>
      )}
      <div className={styles.relations} role="group" aria-labelledby="item-relations-heading">
        <Heading level={4} id="item-relations-heading">
          {t('itemView.relations.title')}
        </Heading>
        <Lead>{t('itemView.relations.body')}</Lead>
        {!props.isOwner && <Notice>{t('itemView.activity.notOwner')}</Notice>}
        {kinds.map((kind) => (
          <RelationPicker
            key={kind}
            kind={kind}
            value={view.relations[kind]}
            disabled={!props.isOwner || save.kind === 'saving'}
            ownLabel={
              customer && kind !== 'customer'
                ? t('itemView.relations.ofCustomer', { name: customer.name })
                : null
            }
            search={searches[kind]}
            onChange={(option) => void change(kind, option)}
          />
        ))}
      </div>
      <div role="status">
        {save.kind === 'saved' && (
          <Body1>
            {t(save.removed ? 'itemView.relations.removed' : 'itemView.relations.saved', {
              kind: t(`itemView.relations.${save.what}`),
            })}
          </Body1>
        )}
      </div>
      {failure && (
        <Notice intent="error" title={failure.title}>
          {failure.remedy}
        </Notice>
      )}
    </Section>
  );
}
