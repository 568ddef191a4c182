import { internalRoute, type InternalCall, type InternalRoute } from '@calos/service';
import { z } from 'zod';
import type { AiEngine } from './engine.js';
import { AiError } from './engine.js';

/** The domains whose features call the ai service. */
export const AI_CALLERS = ['recipes', 'mealplans', 'hollowtown', 'family'] as const;

const message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().min(1).max(64_000) });
const messages = z.array(message).min(1).max(50);
const jsonSchema = z.record(z.string(), z.unknown());
const id = z.uuid();

/** The user a call acts for: the domain verified their access token and names them in its service token. */
function userOf(call: InternalCall): string {
  if (!call.userId) throw new AiError('BAD_USER_INPUT', 'The service token names no user.', 400);
  return call.userId;
}

/**
 * What domain features call (service-to-service, each call naming its user): generate →
 * [repair once] → settle after the domain saved the result, or release when it could not.
 */
export function aiInternalRoutes(engine: AiEngine): InternalRoute[] {
  return [
    internalRoute({
      method: 'post',
      path: '/generations',
      callers: AI_CALLERS,
      input: z.object({
        feature: z.string().regex(/^[a-zA-Z][\w-]{0,63}$/),
        messages,
        jsonSchema: jsonSchema.optional(),
        model: z.string().max(120).nullish(),
        idempotencyKey: z.string().min(1).max(200).nullish(),
      }),
      handle: (input, call) => engine.generate({ ...input, userId: userOf(call), domain: call.caller, requestId: call.requestId }),
    }),
    internalRoute({
      method: 'post',
      path: '/generations/:id/repair',
      callers: AI_CALLERS,
      input: z.object({ id, problems: z.string().min(1).max(4000), jsonSchema: jsonSchema.optional(), messages: messages.optional() }),
      handle: (input, call) => engine.repair(userOf(call), input.id, input.problems, input.jsonSchema, input.messages),
    }),
    internalRoute({
      method: 'post',
      path: '/generations/:id/settle',
      callers: AI_CALLERS,
      input: z.object({ id }),
      handle: (input, call) => engine.settle(userOf(call), input.id),
    }),
    internalRoute({
      method: 'post',
      path: '/generations/:id/release',
      callers: AI_CALLERS,
      input: z.object({ id, reason: z.string().min(1).max(200), invalidOutput: z.boolean().default(false) }),
      handle: (input, call) => engine.release(userOf(call), input.id, input.reason, input.invalidOutput),
    }),
  ];
}
