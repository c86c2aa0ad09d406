// The config lives in tools/lint/, beside the packages it imports: typescript-eslint needs TypeScript 6 while
// the root keeps TypeScript 7 for builds (tools/lint/README.md says why and how).
export { default } from './tools/lint/eslint-config.mjs';
