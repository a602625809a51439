import { ClientError } from 'graphql-request';

/** The first GraphQL error of a request that must fail (throws if it succeeds). */
export async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; extensions: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ClientError) {
      const e = err.response.errors![0]!;
      return { code: String(e.extensions?.code), message: e.message, extensions: e.extensions ?? {} };
    }
    throw err;
  }
  throw new Error('expected an error');
}

/** The first GraphQL error code of a request, or undefined when it succeeds. */
export async function errorCodeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (err instanceof ClientError) return String(err.response.errors?.[0]?.extensions?.code);
    throw err;
  }
}
