import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
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

/** Zoho's values as they come: strings, numbers, booleans, null, `{name,id}` lookups, arrays. */
export const JSONScalar = builder.scalarType('JSON', {
  description: 'Any JSON value, passed through as Zoho sends or expects it.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => jsonLiteral(ast, variables ?? undefined),
});

function jsonLiteral(ast: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => jsonLiteral(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, jsonLiteral(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
  }
}

/**
 * A calendar date, `yyyy-MM-dd`, as Zoho's date fields hold it: graphql-scalars' LocalDate (which
 * checks the format and that the day exists) under the name the typed CRM uses.
 */
const localDate = GraphQLLocalDate.toConfig();
const badDate = (fn: () => string): string => {
  try {
    return fn();
  } catch (err) {
    throw new GraphQLError(`Date must be yyyy-MM-dd (${err instanceof Error ? err.message : 'invalid'})`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
};
export const DateScalar = builder.addScalarType(
  'Date',
  new GraphQLScalarType<string, string>({
    ...localDate,
    name: 'Date',
    description: 'A calendar date, yyyy-MM-dd (Zoho’s date fields).',
    parseValue: (value) => badDate(() => localDate.parseValue!(value) as string),
    parseLiteral: (ast, vars) => badDate(() => localDate.parseLiteral!(ast, vars) as string),
  }),
);
