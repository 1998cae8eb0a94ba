// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "coverage/", "dist/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { ignores: ["web/widget/**"], languageOptions: { globals: { ...globals.node } } },
  // The embeddable widget and the admin pages' scripts run in the browser, not in Node.
  {
    files: ["web/widget/**", "web/admin/static/**", "web/public/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
);
