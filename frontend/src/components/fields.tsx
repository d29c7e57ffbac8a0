import {
  useId,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
} from "react";

interface FieldFrameProps {
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}

/** The label above, an optional hint, the control, and the error below (data-testid="field-error-NAME"). */
function FieldFrame({ id, name, label, hint, error, children }: FieldFrameProps) {
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`} data-testid={`field-error-${name}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name"> & {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
};

export function TextField({ name, label, hint, error, ...input }: InputProps) {
  const id = useId();
  return (
    <FieldFrame id={id} name={name} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
    </FieldFrame>
  );
}

/** A password input with a Show/Hide toggle (handy on phones). */
export function PasswordField({ name, label, hint, error, ...input }: Omit<InputProps, "type">) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  return (
    <FieldFrame id={id} name={name} label={label} hint={hint} error={error}>
      <div className="input-with-action">
        <input
          id={id}
          name={name}
          type={visible ? "text" : "password"}
          className="input"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          {...input}
        />
        <button
          type="button"
          className="input-action"
          aria-controls={id}
          aria-pressed={visible}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? "Hide" : "Show"}
          <span className="visually-hidden"> password</span>
        </button>
      </div>
    </FieldFrame>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "name"> & {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
};

export function TextAreaField({ name, label, hint, error, ...textarea }: TextAreaProps) {
  const id = useId();
  return (
    <FieldFrame id={id} name={name} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        name={name}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...textarea}
      />
    </FieldFrame>
  );
}
