/**
 * The pane's component kit (issue 13): one labelled text input with its hint and its problem. The
 * Fluent Field ties label, hint and validation message to the input for screen readers; long
 * hints and addresses wrap in a 320 px pane.
 */
import { Field, Input, type InputProps } from '@fluentui/react-components';
import { useKitStyles } from './styles';

export function InputField(
  props: Omit<InputProps, 'required'> & {
    label: string;
    hint?: string;
    required?: boolean;
    /** What is wrong with the value, shown as the field's error; undefined when nothing is. */
    problem?: string | undefined;
  },
) {
  const { label, hint, required, problem, ...input } = props;
  return (
    <Field
      className={useKitStyles().text}
      label={label}
      hint={hint}
      required={required}
      validationState={problem ? 'error' : 'none'}
      validationMessage={problem}
    >
      <Input {...input} />
    </Field>
  );
}
