import { Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ActivityType } from '../../model';
import { limits } from '../../preferences/preferences';
import type {
  DayField,
  DayProblem,
  Direction,
  DirectionDraft,
  DraftProblems,
} from '../../preferences/preferencesDraft';
import { PreferencesGroup } from './PreferencesGroup';
import { TypeListField } from './TypeListField';

const useStyles = makeStyles({
  // Two day fields side by side where they fit, one above the other in a 320 px pane.
  days: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(120px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
});

/** One direction's settings (SPEC W1, W2, T1, T2): its window and its two type lists. */
export function DirectionFields(props: {
  direction: Direction;
  draft: DirectionDraft;
  problems: DraftProblems;
  types: readonly ActivityType[] | null;
  nameOf: (type: ActivityType) => string;
  onChange: (next: DirectionDraft) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { direction, draft, onChange } = props;
  const message = (problem: DayProblem | undefined) =>
    problem && t(`preferences.days.${problem.kind}`, problem);
  const dayField = (field: DayField) => {
    const problem = props.problems[`${direction}.${field}`];
    return (
      <Field
        label={t(`preferences.${field}.label`)}
        hint={problem ? undefined : t(`preferences.${field}.hint`, limits[field])}
        validationState={problem ? 'error' : 'none'}
        validationMessage={message(problem)}
      >
        <Input
          type="number"
          inputMode="numeric"
          min={limits[field].min}
          max={limits[field].max}
          step={1}
          value={draft[field]}
          onChange={(_event, data) => onChange({ ...draft, [field]: data.value })}
        />
      </Field>
    );
  };
  return (
    <PreferencesGroup title={t(`preferences.directions.${direction}`)}>
      <div className={styles.days}>
        {dayField('daysBack')}
        {dayField('daysAhead')}
      </div>
      <TypeListField
        label={t('preferences.createTypes.label')}
        hint={t('preferences.createTypes.hint')}
        emptyHint={t('preferences.createTypes.empty')}
        value={draft.createTypes}
        types={props.types}
        nameOf={props.nameOf}
        onChange={(createTypes) => onChange({ ...draft, createTypes })}
      />
      <TypeListField
        label={t('preferences.editTypes.label')}
        hint={t('preferences.editTypes.hint')}
        emptyHint={t('preferences.editTypes.empty')}
        value={draft.editTypes}
        types={props.types}
        nameOf={props.nameOf}
        onChange={(editTypes) => onChange({ ...draft, editTypes })}
      />
    </PreferencesGroup>
  );
}
