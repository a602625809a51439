import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';

/**
 * INTROSPECTION=false (the default when NODE_ENV=production): `__schema` and `__type` are refused
 * at validation (Yoga's disable-introspection plugin), and "Did you mean …?" suggestions are cut
 * from every error message, since a caller could otherwise rebuild the schema from them one typo
 * at a time. `__typename` stays allowed (clients need it). With introspection on, nothing changes.
 */
export function useIntrospectionPolicy(enabled: boolean): Plugin[] {
  return enabled ? [] : [useDisableIntrospection(), useNoSuggestions()];
}

/** Field, argument, type and enum-value suggestions, in graphql-js's wording. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function useNoSuggestions(): Plugin {
  return {
    // Validation errors, and variable values refused at execution, both end up in the result.
    onResultProcess({ result, setResult }) {
      if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
      const strip = (r: { errors?: readonly { message: string }[] }) => {
        for (const e of r.errors ?? []) if (e.message.includes('Did you mean')) e.message = e.message.replace(SUGGESTION, '');
      };
      // The error objects are changed in place (graphql-js's own messages; nothing else refers to them).
      if (Array.isArray(result)) result.forEach(strip);
      else strip(result as { errors?: readonly { message: string }[] });
      setResult(result);
    },
  };
}
