import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLDateTimeISO, GraphQLLocalDate } from 'graphql-scalars';
import { builder } from '../builder.js';

/**
 * Refuses an input a graphql-scalars parser threw on as BAD_USER_INPUT (graphql-scalars' own
 * errors carry no code), naming the form expected and keeping its reason.
 */
function refuse<T>(expected: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new GraphQLError(`${expected} (${err instanceof Error ? err.message : 'invalid'})`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

/**
 * An instant: graphql-scalars' DateTimeISO (RFC 3339, the strict profile of ISO 8601: "March 3"
 * or a date without a time is refused, so is a day or month that does not exist) under the name
 * the schema has always used. Inputs become epoch milliseconds (an offset such as Zoho's +05:30 is
 * honoured: it names the instant it says); outputs, from epoch ms or from Zoho's strings with
 * their offset, are answered in UTC with milliseconds, as before.
 */
const dateTimeISO = GraphQLDateTimeISO.toConfig();
const RFC3339 = 'DateTime must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T09:30:00Z or 2026-01-31T15:00:00+05:30';
export const DateTime = builder.addScalarType(
  'DateTime',
  new GraphQLScalarType<number, string>({
    name: 'DateTime',
    description: 'An instant as an RFC 3339 (ISO 8601) string. Inputs take any offset, e.g. 2026-01-31T15:00:00+05:30; outputs are in UTC, e.g. 2026-01-31T09:30:00.000Z.',
    serialize: (value) => dateTimeISO.serialize(value) as string,
    parseValue: (value) => refuse(RFC3339, () => (dateTimeISO.parseValue!(value) as Date).getTime()),
    parseLiteral: (ast, vars) => refuse(RFC3339, () => (dateTimeISO.parseLiteral!(ast, vars) as Date).getTime()),
  }),
);

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
const YMD = 'Date must be yyyy-MM-dd, e.g. 2026-01-31';
export const DateScalar = builder.addScalarType(
  'Date',
  new GraphQLScalarType<string, string>({
    ...localDate,
    name: 'Date',
    description: 'A calendar date, yyyy-MM-dd (Zoho’s date fields).',
    parseValue: (value) => refuse(YMD, () => localDate.parseValue!(value) as string),
    parseLiteral: (ast, vars) => refuse(YMD, () => localDate.parseLiteral!(ast, vars) as string),
  }),
);
