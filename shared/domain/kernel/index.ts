/** The command kernel every domain writes through (docs/architecture.md, "commands"). */
export * from './context';
export * from './command';
export {
  ERROR_CODES,
  domainError,
  err,
  ok,
  parseInput,
  type DomainError,
  type ErrorCode,
  type Result,
} from '../result';
