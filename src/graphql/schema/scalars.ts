import { GraphQLError, Kind } from 'graphql';
import { builder } from '../builder.js';

/** Instants travel as ISO 8601 strings in UTC; internally they are epoch milliseconds. */
export const DateTime = builder.scalarType('DateTime', {
  description: 'An instant as an ISO 8601 string in UTC, e.g. 2026-01-31T09:30:00.000Z.',
  serialize: (value) => new Date(value as number | string).toISOString(),
  parseValue: (value) => {
    const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) throw new GraphQLError('DateTime must be an ISO 8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
    return ms;
  },
  parseLiteral: (ast) => {
    const ms = ast.kind === Kind.STRING ? Date.parse(ast.value) : Number.NaN;
    if (Number.isNaN(ms)) throw new GraphQLError('DateTime must be an ISO 8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
    return ms;
  },
});
