import { ApiError, errorMessage } from "../api/errors";

/** A problem with the whole form, shown above its button. */
export interface FormProblem {
  message: string;
  /** Shown for server errors, so a person can quote it to support. */
  requestId: string | null;
}

export interface ServerErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  form: FormProblem | null;
}

/**
 * Split an error from the API into messages next to the form's own inputs (a 422's
 * `details.fields`, a 409's `details.field`) and one message for the form (everything else).
 */
export function serverErrors<F extends string>(
  error: unknown,
  inputs: readonly F[],
): ServerErrors<F> {
  const isInput = (name: string): name is F => (inputs as readonly string[]).includes(name);
  const fields: Partial<Record<F, string>> = {};

  if (error instanceof ApiError && error.status === 422 && error.fields.length > 0) {
    const elsewhere: string[] = [];
    for (const { field, message } of error.fields) {
      const name = field.split(".").pop() ?? field;
      if (isInput(name)) fields[name] ??= message;
      else elsewhere.push(name === "body" ? error.message : message);
    }
    const form = elsewhere.length
      ? { message: [...new Set(elsewhere)].join(" "), requestId: null }
      : null;
    return { fields, form };
  }

  if (error instanceof ApiError && error.status === 409) {
    const field = error.conflictField;
    if (field !== null && isInput(field)) {
      fields[field] = error.message;
      return { fields, form: null };
    }
  }

  const requestId = error instanceof ApiError && error.status >= 500 ? error.requestId : null;
  return { fields, form: { message: errorMessage(error), requestId } };
}

/** Every message of an error, for a form that shows them together: a 422's per field, else one. */
export function errorMessages<F extends string>(error: unknown, inputs: readonly F[]): string[] {
  const { fields, form } = serverErrors(error, inputs);
  const list = [...inputs.map((name) => fields[name]), form?.message].filter(
    (text): text is string => !!text,
  );
  return list.length ? list : [errorMessage(error)];
}
