/**
 * NestJS 12 ships as ES modules only, so the suites run under Jest's ESM mode
 * (node --experimental-vm-modules) with ts-jest emitting ES modules.
 * Two projects so `npm run test:unit` and `npm run test:e2e` can run apart; `npm test` runs both.
 */
const common = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.jest.json', diagnostics: false },
    ],
  },
};
module.exports = {
  maxWorkers: 2,
  // Room for a busy machine; hooks that start Redis servers set their own, longer timeouts.
  testTimeout: 30_000,
  // A run-specific directory records every redis-server the helpers spawn; the teardown kills,
  // by PID, the ones a failed hook or test left running (never a server the run did not start).
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      // Fails a file that let an unhandledRejection or uncaughtException reach the process.
      setupFilesAfterEnv: ['<rootDir>/test/support/process-guard.ts'],
    },
    { ...common, displayName: 'fuzz', testMatch: ['<rootDir>/test/fuzz/**/*.spec.ts'] },
  ],
};
