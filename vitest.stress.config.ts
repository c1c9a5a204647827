import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// npm run test:stress: the long concurrency and crash tests, one file at a time.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/stress/**/*.stress.ts'], fileParallelism: false, testTimeout: 300_000, hookTimeout: 120_000 },
});
