import pg from 'pg';
import { OllamaPool } from '@calos/ai';
import { createLogger } from '@calos/kernel';
import { startFakeOllama, startTestSupergraph, type FakeLlmServer } from '@calos/testkit';
import { runLoad } from './load.js';

/**
 * AI path costs, with instant loopback model servers so only our code is measured:
 * the pool (selection, real `ollama` client, HTTP) and `chat` through gateway → ai (→ identity
 * for plan, reservation and settlement when metered).
 */
export async function benchAi(): Promise<void> {
  const hosts: FakeLlmServer[] = [];
  for (let i = 0; i < 3; i++) hosts.push(await startFakeOllama({ models: ['llama3.2', 'big'] }));
  try {
    const pool = new OllamaPool({ hosts: hosts.map((h) => h.url), logger: createLogger('bench', 'silent') });
    await pool.start();
    const poolStats = await runLoad(5000, 50, async (i) => {
      await pool.chat({ model: 'llama3.2', messages: [{ role: 'user', content: `q${i}` }] });
    });
    console.log(`pool, 3 hosts, 5000 chats, 50 concurrent: ${poolStats}; per host ${hosts.map((h) => h.served).join('/')}`);
    await pool.stop();

    const none = await startTestSupergraph({ only: ['identity', 'ai'] });
    try {
      const user = await none.signUp();
      const stats = await runLoad(100, 10, async () => {
        const res = await user.gql(`mutation { chat(input: { messages: [{ role: USER, content: "hi" }] }) { credits } }`);
        if (res.errors?.[0]?.extensions?.code !== 'AI_UNAVAILABLE') throw new Error(JSON.stringify(res));
      });
      console.log(`AI_UNAVAILABLE with no model configured, 100 chats, 10 concurrent: ${stats}`);
    } finally {
      await none.close();
    }

    const sg = await startTestSupergraph({
      only: ['identity', 'ai'],
      env: { ai: { OLLAMA_HOSTS: hosts.map((h) => h.url).join(','), AI_MODEL_CREDITS: '{"big": 1}' } },
    });
    try {
      const user = await sg.signUp();
      const identity = new pg.Client({ connectionString: sg.databases.identity!.url });
      await identity.connect();
      // Enough allowance and credits that only speed is measured.
      await identity.query(
        `INSERT INTO subscriptions ("userId", "planCode", "status", "updatedAt") VALUES ($1, 'enterprise', 'ACTIVE', now()) ON CONFLICT ("userId") DO UPDATE SET "planCode" = 'enterprise'`,
        [user.id],
      );
      await identity.query(`UPDATE credit_wallets SET balance = 1000000 WHERE "userId" = $1`, [user.id]);
      await identity.end();
      const chat = (model: string) => async (i: number) => {
        const res = await user.gql(`mutation($input: ChatInput!) { chat(input: $input) { credits } }`, { input: { model, messages: [{ role: 'USER', content: `q${i}` }] } });
        if (!res.data?.chat) throw new Error(JSON.stringify(res.errors));
      };
      for (const [label, model] of [['free', 'llama3.2'], ['metered (reserve + settle in identity)', 'big']] as const) {
        const stats = await runLoad(120, 10, chat(model));
        console.log(`chat via the gateway, ${label}, 120 requests, 10 concurrent, ${sg.engine}: ${stats}`);
      }
    } finally {
      await sg.close();
    }
  } finally {
    for (const host of hosts) await host.close();
  }
}
