import { useId } from "react";
import { CAPTION_MAX, PRICE_MAX } from "../../api/posts";
import { tokens } from "../../lib/format";

/** The caption: a textarea with the API's limit and a live counter. */
export function CaptionField({
  value,
  onChange,
  error,
  focusFirst,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  focusFirst?: boolean;
}) {
  const id = useId();
  const over = value.length > CAPTION_MAX;
  const problem = error ?? (over ? `Keep the caption to ${CAPTION_MAX} characters.` : undefined);
  return (
    <div className={problem ? "field field-invalid" : "field"}>
      <label className="field-label" htmlFor={id}>
        Caption <span className="muted">(optional)</span>
      </label>
      <textarea
        id={id}
        name="caption"
        className="input"
        rows={4}
        maxLength={CAPTION_MAX}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-count${problem ? ` ${id}-error` : ""}`}
        data-testid="post-caption-input"
        data-autofocus={focusFirst || undefined}
      />
      <p className="field-hint" id={`${id}-count`} data-testid="post-caption-count">
        {value.length}/{CAPTION_MAX} characters
      </p>
      {problem ? (
        <p className="field-error" id={`${id}-error`} data-testid="field-error-caption">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

/** A price typed so far: the text of the input, and whether the post is locked at all. */
export interface PriceInput {
  locked: boolean;
  amount: string;
}

export function priceInput(price: number): PriceInput {
  return { locked: price > 0, amount: price > 0 ? String(price) : "" };
}

/** The price in tokens, or a message saying what is wrong with what was typed. */
export function parsePrice(input: PriceInput): { price: number } | { error: string } {
  if (!input.locked) return { price: 0 };
  const text = input.amount.trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > PRICE_MAX) {
    return { error: `Enter a whole number of tokens from 1 to ${PRICE_MAX}.` };
  }
  return { price: n };
}

/**
 * Free (the default) or locked for a number of tokens. `freeOnly`: a published free post
 * cannot become locked, so the choice is shown but cannot change.
 */
export function PriceField({
  value,
  onChange,
  error,
  freeOnly = false,
}: {
  value: PriceInput;
  onChange: (value: PriceInput) => void;
  error?: string;
  freeOnly?: boolean;
}) {
  const id = useId();
  const parsed = parsePrice(value);
  const price = "price" in parsed ? parsed.price : null;
  return (
    <fieldset
      className="field choice-group"
      aria-describedby={freeOnly ? `${id}-free-only` : undefined}
      data-testid="post-price"
    >
      <legend className="field-label">Who can see the photos</legend>
      <div className="choices">
        <label className="choice">
          <input
            type="radio"
            name={`${id}-price`}
            checked={!value.locked}
            onChange={() => onChange({ ...value, locked: false })}
            data-testid="price-free"
          />
          <span>
            <strong>Free</strong>
            <span className="muted">Everyone sees the photos.</span>
          </span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`${id}-price`}
            checked={value.locked}
            disabled={freeOnly}
            onChange={() => onChange({ ...value, locked: true })}
            data-testid="price-locked"
          />
          <span>
            <strong>{price ? `Lock for ${tokens(price)}` : "Lock for tokens"}</strong>
            <span className="muted">
              Others see a blurred preview and the first line of the caption until they unlock it.
            </span>
          </span>
        </label>
      </div>
      {freeOnly ? (
        <p className="field-hint" id={`${id}-free-only`}>
          A free post stays free once it is published.
        </p>
      ) : null}
      {value.locked ? (
        <div className={error ? "field field-invalid" : "field"}>
          <label className="field-label" htmlFor={id}>
            Price (tokens)
          </label>
          <input
            id={id}
            name="price"
            className="input input-narrow"
            type="number"
            inputMode="numeric"
            min={1}
            max={PRICE_MAX}
            step={1}
            value={value.amount}
            onChange={(event) => onChange({ ...value, amount: event.target.value })}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            data-testid="price-amount"
          />
          {error ? (
            <p className="field-error" id={`${id}-error`} data-testid="field-error-price">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}
