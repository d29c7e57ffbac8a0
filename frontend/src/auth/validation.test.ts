import { describe, expect, it } from "vitest";
import { validateEmail, validateHandle, validateNewPassword } from "./validation";

describe("client-side validation mirrors the API", () => {
  it.each([
    ["", "Choose a password."],
    ["x".repeat(9), "Use 10 to 128 characters."],
    ["x".repeat(129), "Use 10 to 128 characters."],
    ["x".repeat(10), null],
    ["x".repeat(128), null],
  ])("password %#", (password, expected) => {
    expect(validateNewPassword(password)).toBe(expected);
  });

  it("refuses a password that is the email or the handle, whatever the case", () => {
    const who = { email: "Ada@Example.com", handle: "ada_lovelace" };
    expect(validateNewPassword("ada@example.COM", who)).toMatch(/email or handle/);
    expect(validateNewPassword("ADA_LOVELACE", who)).toMatch(/email or handle/);
    expect(validateNewPassword("ada_lovelace!", who)).toBeNull();
  });

  it.each([
    ["ab", false],
    ["abc", true],
    ["a".repeat(30), true],
    ["a".repeat(31), false],
    ["under_score9", true],
    ["with-dash", false],
    ["with space", false],
    ["émile", false],
  ])("handle %s valid: %s", (handle, valid) => {
    expect(validateHandle(handle) === null).toBe(valid);
  });

  it.each([
    ["ada@example.com", true],
    [" ada@example.com ", true],
    ["ada@example", false],
    ["ada.example.com", false],
    ["", false],
  ])("email %s valid: %s", (email, valid) => {
    expect(validateEmail(email) === null).toBe(valid);
  });
});
