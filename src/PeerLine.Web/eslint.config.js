// Lint for the web client: @eslint/js recommended; browser globals for the pages, Node's for tests and the build.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/', 'dist-test/', 'node_modules/'] },
  js.configs.recommended,
  {
    files: ['src/**/*.js', 'test/browser/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['test/**/*.js', 'build.mjs', 'eslint.config.js'],
    ignores: ['test/browser/**'],
    languageOptions: { globals: globals.node },
  },
];
