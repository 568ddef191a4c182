/**
 * An app's AI screen on the typed client: pick an available model, chat, and handle the
 * errors a user can meet. Type-checked by the test suite (the `@ts-expect-error` lines must stay errors).
 */
import { aiModelsQuery, chatMutation, createClient, type ChatMutation } from '../src/index.js';

export async function askHollowtown(url: string, token: string, question: string): Promise<string> {
  const client = createClient({ url, accessToken: () => token });
  const models = await client.request(aiModelsQuery);
  const model = models.data?.aiModels.find((m) => m.available && m.free)?.model;

  const result = await client.request(chatMutation, { input: { model, messages: [{ role: 'USER', content: question }] } });
  const error = result.errors?.[0];
  if (error) {
    switch (error.extensions?.code) {
      case 'RATE_LIMITED':
        return `Slow down: try again in ${String(error.extensions.retryAfterSeconds)} s.`;
      case 'AI_UNAVAILABLE':
        return 'The spirits are silent right now.';
      default:
        return error.message;
    }
  }
  const answer: ChatMutation['chat'] | undefined = result.data?.chat;
  const credits: number | undefined = answer?.credits;
  void credits;

  // @ts-expect-error — roles are an enum: 'user' (lower case) is not one
  await client.request(chatMutation, { input: { messages: [{ role: 'user', content: question }] } });
  // @ts-expect-error — the answer has no `apiKey` field: keys are never returned
  void answer?.apiKey;

  return answer?.message.content ?? '';
}
