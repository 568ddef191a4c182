import { DateTimeScalar } from '@calos/service';
import type { Resolvers } from '../generated/graphql.js';
import { Costume } from './Costume.js';
import { Event } from './Event.js';
import { EventExpense } from './EventExpense.js';
import { EventRecipe } from './EventRecipe.js';
import { HauntedHousePlan } from './HauntedHousePlan.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { SpookyRecipe } from './SpookyRecipe.js';
import { User } from './User.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  SpookyRecipe,
  Event,
  EventExpense,
  EventRecipe,
  Costume,
  HauntedHousePlan,
  User,
};
