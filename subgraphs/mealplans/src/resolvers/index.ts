import { DateScalar, DateTimeScalar } from '@calos/service';
import type { Resolvers } from '../generated/graphql.js';
import { Event } from './Event.js';
import { Family } from './Family.js';
import { MealPlan } from './MealPlan.js';
import { MealPlanEntry } from './MealPlanEntry.js';
import { Mutation } from './Mutation.js';
import { PantryItem } from './PantryItem.js';
import { Query } from './Query.js';
import { ShoppingItem } from './ShoppingItem.js';
import { ShoppingList } from './ShoppingList.js';
import { User } from './User.js';

export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  MealPlan,
  MealPlanEntry,
  ShoppingList,
  ShoppingItem,
  PantryItem,
  User,
  Family,
  Event,
};
