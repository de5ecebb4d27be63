import { jest } from '@jest/globals';
import type { SessionLogger } from '../../src/factories/session-logger';

/** A factory logger whose three levels are jest mocks. */
export function recordingLogger(): {
  debug: jest.Mock<(message: string) => void>;
  warn: jest.Mock<(message: string) => void>;
  error: jest.Mock<(message: string, stack?: string) => void>;
} & SessionLogger {
  return { debug: jest.fn(), warn: jest.fn(), error: jest.fn() };
}
