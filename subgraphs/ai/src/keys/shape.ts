/**
 * A cheap shape check before a key is stored, so a typo or a key for the wrong provider is
 * caught at once. Messages never repeat the key: they are shown to users and may be logged.
 */
export type ApiKeyProviderName = 'openai' | 'anthropic' | 'deepseek';

const MAX_LENGTH = 256;
// Formats change (sk-proj-, sk-svcacct-, sk-ant-api03-, …): check the prefix and the alphabet,
// not today's exact layout.
const URL_SAFE_TAIL = /^[A-Za-z0-9_-]{20,}$/;
const DEEPSEEK = /^sk-[0-9a-f]{32}$/i;
// Whitespace, C0/C1 controls, zero-width and BOM characters (what copy-paste picks up).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/u;

const NAMES: Record<ApiKeyProviderName, string> = { openai: 'OpenAI', anthropic: 'Anthropic', deepseek: 'DeepSeek' };

/** null when `key` looks like a `provider` API key, else a message for the user. */
export function validateApiKeyShape(provider: ApiKeyProviderName, key: string): string | null {
  const name = NAMES[provider];
  if (key.length === 0) return `Enter your ${name} API key.`;
  if (key.length > MAX_LENGTH) return `That is too long for an API key (at most ${MAX_LENGTH} characters).`;
  if (INVISIBLE.test(key)) return 'The key contains spaces, line breaks or invisible characters: paste it exactly as shown by the provider.';
  if (provider !== 'anthropic' && key.startsWith('sk-ant-')) return `That looks like an Anthropic key, but you chose ${name}.`;
  switch (provider) {
    case 'openai': {
      const tail = key.startsWith('sk-proj-') ? key.slice('sk-proj-'.length) : key.startsWith('sk-') ? key.slice(3) : null;
      if (tail === null) return 'OpenAI API keys start with "sk-" (or "sk-proj-").';
      return URL_SAFE_TAIL.test(tail) ? null : 'That does not look like a complete OpenAI API key.';
    }
    case 'anthropic':
      if (!key.startsWith('sk-ant-')) return 'Anthropic API keys start with "sk-ant-".';
      return URL_SAFE_TAIL.test(key.slice('sk-ant-'.length)) ? null : 'That does not look like a complete Anthropic API key.';
    case 'deepseek':
      if (!key.startsWith('sk-')) return 'DeepSeek API keys start with "sk-".';
      return DEEPSEEK.test(key) ? null : 'DeepSeek API keys are "sk-" followed by 32 hexadecimal characters.';
  }
}

/** The only part of a key ever shown back. */
export function last4(key: string): string {
  return key.slice(-4);
}
