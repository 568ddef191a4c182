import { DateTimeScalar } from '@calos/service';
import type { AiProvider, Resolvers } from '../generated/graphql.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { User } from './User.js';

const upper = (value: string) => value.toUpperCase() as AiProvider;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  User,
  AiModel: { provider: (m) => upper(m.provider) },
  AiUsageRecord: { provider: (r) => upper(r.provider) },
  ChatResponse: {
    message: (g) => ({ role: 'ASSISTANT', content: g.content ?? '' }),
    provider: (g) => upper(g.provider),
  },
};
