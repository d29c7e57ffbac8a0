import { useId, useState, type ChangeEvent } from "react";
import { serverErrors, type FormProblem } from "./formErrors";

type FieldElement = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * A small controlled-form helper: values, a message per field, one problem for the form,
 * and focus moved to the first field with an error so keyboard and screen-reader users land
 * where the fix is needed.
 */
export function useForm<V extends Record<string, string>>(initial: V) {
  type Name = keyof V & string;
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<Partial<Record<Name, string>>>({});
  const [problem, setProblem] = useState<FormProblem | null>(null);
  // Found by id when needed (no ref: the form's state stays plain render data).
  const formId = useId();
  const names = Object.keys(initial) as Name[];

  function focusFirst(fieldErrors: Partial<Record<Name, string>>) {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement)) return;
    for (const element of Array.from(form.elements)) {
      const name = (element as FieldElement).name;
      if (name && name in fieldErrors) {
        (element as FieldElement).focus();
        return;
      }
    }
  }

  function showErrors(
    fieldErrors: Partial<Record<Name, string>>,
    formProblem: FormProblem | null = null,
  ) {
    setErrors(fieldErrors);
    setProblem(formProblem);
    focusFirst(fieldErrors);
  }

  return {
    values,
    errors,
    problem,
    /** Put this on the <form> as its `id`. */
    formId,
    /** Props for a TextField (or any input) bound to `name`. */
    field: (name: Name) => {
      return {
        name,
        value: values[name],
        error: errors[name],
        onChange: (event: ChangeEvent<FieldElement>) => {
          const { value } = event.target;
          setValues((current) => ({ ...current, [name]: value }));
          // The person is fixing it: the old message no longer applies.
          setErrors((current) => {
            if (!(name in current)) return current;
            const next = { ...current };
            delete next[name];
            return next;
          });
        },
      };
    },
    showErrors,
    /** Show an error thrown by the API next to the matching inputs, or for the form. */
    showServerError: (error: unknown) => {
      const { fields, form } = serverErrors(error, names);
      showErrors(fields, form);
    },
    clearErrors: () => {
      setErrors({});
      setProblem(null);
    },
    reset: (next: V = initial) => {
      setValues(next);
      setErrors({});
      setProblem(null);
    },
  };
}
