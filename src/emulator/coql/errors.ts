import { zohoError } from '../errors.js';
import type { EmulatorResponse } from '../router.js';

/**
 * An error the COQL endpoint answers with, in Zoho's envelope `{code, details, message, status}`.
 * Every COQL error Zoho documents is HTTP 400 (the 401 scope errors come from crmAuth).
 * Codes, messages and detail shapes follow the examples beside `executeCOQLQuery` in
 * github.com/zoho/crm-oas (v8.0/coql/mds/examples/executeCOQLQuery.md) and the "Possible Errors"
 * list of https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html.
 * Where a helper below fills in a message or detail keys that no example shows, it says UNVERIFIED.
 */
export class CoqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly status = 400,
  ) {
    super(message);
    this.name = 'CoqlError';
  }

  toResponse(): EmulatorResponse {
    return zohoError(this.status, this.code, this.message, this.details);
  }
}

/** OAS example SyntaxErrorLocation: `{"line":1,"column":15,"near":"FROM"}`, "unexpected token". */
export function unexpectedToken(line: number, column: number, near: string): CoqlError {
  return new CoqlError('SYNTAX_ERROR', 'unexpected token', { line, column, near });
}

/** OAS example SyntaxErrorInvalidClause: `{"clause":"where"}`, "missing clause". */
export function missingClause(clause: 'from' | 'where'): CoqlError {
  return new CoqlError('SYNTAX_ERROR', 'missing clause', { clause });
}

/** OAS example SyntaxErrorQueryNotSupported: a statement other than SELECT. */
export function queryNotSupported(): CoqlError {
  return new CoqlError('SYNTAX_ERROR', 'given coql query not supported', {});
}

/** OAS example SyntaxErrorOperator: `{"operator":"not"}`, "operator not supported". */
export function operatorNotSupported(operator: string): CoqlError {
  return new CoqlError('SYNTAX_ERROR', 'operator not supported', { operator });
}

/**
 * Zoho documents LIMIT_EXCEEDED for each of its limits but shows no example body.
 * UNVERIFIED: the message texts and the `{clause, maximum}` details are ours.
 */
export function limitExceeded(clause: string, maximum: number, message: string): CoqlError {
  return new CoqlError('LIMIT_EXCEEDED', message, { clause, maximum });
}

/** OAS example InvalidQueryInvalidOperator. */
export function invalidOperator(columnName: string, operator: string): CoqlError {
  return new CoqlError('INVALID_QUERY', 'Invalid query formed', { reason: 'invalid operator found', column_name: columnName, operator });
}

/**
 * An unknown field. The OAS schema lists `{column_name, clause}` among INVALID_QUERY details
 * ("the COQL clause associated with the invalid column"). UNVERIFIED: the message text.
 */
export function invalidColumn(columnName: string, clause: string): CoqlError {
  return new CoqlError('INVALID_QUERY', 'invalid column name', { column_name: columnName, clause });
}
