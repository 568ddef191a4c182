import { z } from 'zod';
import { providerOfModel } from './llm/byok.js';

const modelName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(120, 'must be at most 120 characters')
  .regex(/^[\w.:/-]+$/, 'may only hold letters, digits and . : / - _');

export const modelPreferenceInput = z.object({
  model: modelName,
  fallbackModel: modelName
    .refine((m) => !providerOfModel(m), 'must be a free pool model (it answers when your premium provider fails)')
    .nullish(),
});

export const CHAT_LIMITS = { messages: 50, characters: 32_000 };

export const chatInput = z
  .object({
    messages: z
      .array(z.object({ role: z.enum(['SYSTEM', 'USER', 'ASSISTANT']), content: z.string().min(1, 'must not be empty') }))
      .min(1, 'needs at least one message')
      .max(CHAT_LIMITS.messages, `at most ${CHAT_LIMITS.messages} messages`)
      .refine((messages) => messages.at(-1)?.role === 'USER', 'must end with a USER message')
      .refine(
        (messages) => messages.reduce((n, m) => n + m.content.length, 0) <= CHAT_LIMITS.characters,
        `must hold at most ${CHAT_LIMITS.characters} characters in all`,
      ),
    model: modelName.nullish(),
    idempotencyKey: z.string().min(1).max(200, 'must be at most 200 characters').nullish(),
  });
