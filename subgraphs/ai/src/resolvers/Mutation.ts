import { isUuid, notFound, parseInput } from '@calos/kernel';
import type { MutationResolvers } from '../generated/graphql.js';
import { asGraphQL } from '../errors.js';
import { chatInput, modelPreferenceInput } from '../validation.js';

export const Mutation: MutationResolvers = {
  addApiKey: (_p, { input }, ctx) => ctx.keys.add(ctx.requireViewer().userId, input),

  removeApiKey: (_p, { id }, ctx) => {
    const { userId } = ctx.requireViewer();
    if (!isUuid(id)) throw notFound('API key');
    return ctx.keys.remove(userId, id);
  },

  setModelPreference: (_p, { input }, ctx) => {
    const { userId } = ctx.requireViewer();
    const { model, fallbackModel } = parseInput(modelPreferenceInput, input);
    return ctx.db.modelPreference.upsert({
      where: { userId },
      create: { userId, model, fallbackModel: fallbackModel ?? null },
      update: { model, fallbackModel: fallbackModel ?? null },
    });
  },

  chat: (_p, { input }, ctx) => {
    const { userId } = ctx.requireViewer();
    const parsed = parseInput(chatInput, input);
    return asGraphQL(() =>
      ctx.engine.chat({
        userId,
        messages: parsed.messages.map((m) => ({ role: m.role.toLowerCase() as 'system' | 'user' | 'assistant', content: m.content })),
        model: parsed.model,
        idempotencyKey: parsed.idempotencyKey,
        requestId: ctx.requestId,
      }),
    );
  },
};
