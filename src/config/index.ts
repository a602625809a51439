export type { Config, LogLevel, NodeEnv } from './config.js';
export { LOG_LEVELS, NODE_ENVS } from './config.js';
export { ConfigError, type ConfigProblem } from './errors.js';
export { loadConfig, configFromEnvOrExit, type Env } from './load.js';
export { VARIABLES, DEFAULT_SCOPES, type Variable } from './variables.js';
