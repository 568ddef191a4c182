import { z } from 'zod';

/**
 * Parses a service's environment against its zod schema. On any problem it names
 * every bad or missing variable in one message, so an operator fixes them all at once.
 */
export class EnvError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`Invalid environment for ${service}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv<S extends z.ZodType>(
  service: string,
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length === 1 ? source[String(issue.path[0])] : undefined;
    return value === undefined && issue.code === 'invalid_type' ? `${name}: is required` : `${name}: ${issue.message}`;
  });
  throw new EnvError(service, problems);
}

/** Like parseEnv, but for a process entry point: prints the problems and exits non-zero. */
export function loadEnv<S extends z.ZodType>(service: string, schema: S, source = process.env): z.infer<S> {
  try {
    return parseEnv(service, schema, source);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** Reusable variable schemas so every service reads them the same way. */
export const envVars = {
  nodeEnv: z.enum(['development', 'test', 'production']).default('development'),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: z.url(),
  postgresUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL'),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The secret the gateway adds to every subgraph request; subgraphs reject requests without it. */
  gatewaySecret: z.string().min(32, 'must be at least 32 characters'),
  /** The secret services sign their calls to each other with (never given to the gateway). */
  serviceSecret: z.string().min(32, 'must be at least 32 characters'),
  bool: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1'),
};
