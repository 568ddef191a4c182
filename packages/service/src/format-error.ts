import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode, PUBLIC_ERROR_CODES, type Logger } from '@calos/kernel';
import { currentRequestId } from './http.js';

/**
 * Two-track errors: errors we raised on purpose (a public `extensions.code`) go to the
 * client as they are; anything else is logged with the request id and masked, so no
 * stack, SQL or driver message ever reaches a client.
 */
export function createErrorFormatter(logger: Logger, getRequestId: () => string | undefined = currentRequestId) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const original = unwrapResolverError(error);
    // Apollo gives anything that is not a deliberate GraphQLError the code INTERNAL_SERVER_ERROR,
    // so a public code means we (or Apollo's request pipeline) raised it on purpose.
    const deliberate = typeof code === 'string' && PUBLIC_ERROR_CODES.has(code);
    const { stacktrace: _stack, exception: _exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    if (deliberate) return { ...formatted, extensions };
    const requestId = getRequestId() ?? (extensions.requestId as string | undefined);
    logger.error({ err: original, requestId, path: formatted.path }, 'unexpected error');
    return {
      message: requestId ? `Internal server error (request ${requestId}).` : 'Internal server error.',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
    };
  };
}
