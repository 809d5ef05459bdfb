import { Field, Radio, RadioGroup } from '@fluentui/react-components';

/** One choice out of a few, as radio buttons (arrow keys move between them). */
export function ChoiceField<T extends string>(props: {
  label: string;
  hint?: string;
  value: T;
  choices: readonly { readonly value: T; readonly label: string }[];
  onChange: (next: T) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      <RadioGroup
        value={props.value}
        onChange={(_event, data) => {
          const next = props.choices.find((choice) => choice.value === data.value);
          if (next) props.onChange(next.value);
        }}
      >
        {props.choices.map((choice) => (
          <Radio key={choice.value} value={choice.value} label={choice.label} />
        ))}
      </RadioGroup>
    </Field>
  );
}
