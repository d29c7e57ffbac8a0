// ESLint flat config: typescript-eslint (type-aware), React hooks, jsx-a11y; Prettier owns formatting.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "coverage"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  reactHooks.configs.flat.recommended,
  jsxA11y.flatConfigs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
      // Radio choices put their text a few elements deep inside the <label>.
      "jsx-a11y/label-has-associated-control": ["error", { depth: 3 }],
      "no-restricted-globals": [
        "error",
        {
          name: "localStorage",
          message: "Tokens and session state stay in memory; see src/api/session.ts.",
        },
        {
          name: "sessionStorage",
          message: "Tokens and session state stay in memory; see src/api/session.ts.",
        },
      ],
    },
  },
  {
    // Tests may look into storage, to check that nothing sensitive lands there.
    files: ["src/**/*.test.{ts,tsx}", "src/test/**"],
    rules: { "no-restricted-globals": "off" },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: false, project: false },
    },
  },
  prettier,
);
