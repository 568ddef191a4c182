import { DateTimeScalar } from '@calos/service';
import type { Resolvers } from '../generated/graphql.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Recipe } from './Recipe.js';
import { SavedRecipe } from './SavedRecipe.js';
import { User } from './User.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Recipe, User, SavedRecipe };
