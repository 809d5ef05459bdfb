import { makeStyles, tokens } from '@fluentui/react-components';
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
import { InputField } from '../kit/InputField';
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

/** T1: the types this direction may create; T2: the types it may edit. */
const typeLists = ['createTypes', 'editTypes'] as const;

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
      <InputField
        label={t(`preferences.${field}.label`)}
        hint={problem ? undefined : t(`preferences.${field}.hint`, limits[field])}
        problem={message(problem)}
        type="number"
        inputMode="numeric"
        min={limits[field].min}
        max={limits[field].max}
        step={1}
        value={draft[field]}
        onChange={(_event, data) => onChange({ ...draft, [field]: data.value })}
      />
    );
  };
  return (
    <PreferencesGroup title={t(`preferences.directions.${direction}`)}>
      <div className={styles.days}>
        {dayField('daysBack')}
        {dayField('daysAhead')}
      </div>
      {typeLists.map((list) => (
        <TypeListField
          key={list}
          label={t(`preferences.${list}.label`)}
          hint={t(`preferences.${list}.hint`)}
          emptyHint={t(`preferences.${list}.empty`)}
          value={draft[list]}
          types={props.types}
          nameOf={props.nameOf}
          onChange={(next) => onChange({ ...draft, [list]: next })}
        />
      ))}
    </PreferencesGroup>
  );
}
