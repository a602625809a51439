/**
 * ConfigError: every configuration problem found at start-up, one line per variable.
 */
import { UNECHOED, type Variable } from './variables.js';

/** One bad or missing variable. */
export interface ConfigProblem {
  readonly variable: Variable;
  /** What is wrong, phrased to follow `VARIABLE: ` — never containing the value itself. */
  readonly message: string;
}

/** Longest echoed value, in characters; longer values are cut so a line stays readable. */
const MAX_ECHO_CHARS = 60;

/**
 * `VARIABLE: what is wrong (got "value")`. The value is echoed only for variables that are not in
 * UNECHOED and only when it was set, so secrets and password-bearing URLs never reach logs.
 */
export function formatProblem(problem: ConfigProblem, value: string | undefined): string {
  const line = `${problem.variable}: ${problem.message}`;
  if (value === undefined || UNECHOED.has(problem.variable)) return line;
  const shown = value.length > MAX_ECHO_CHARS ? `${value.slice(0, MAX_ECHO_CHARS)}…` : value;
  return `${line} (got ${JSON.stringify(shown)})`;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** One human-readable line per problem, in the order the variables are documented. */
  readonly lines: readonly string[];
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], lines: readonly string[]) {
    super(`Invalid configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`);
    this.problems = problems;
    this.lines = lines;
  }
}
