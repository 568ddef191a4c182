import { DateTimeScalar } from '@calos/service';
import type { Resolvers } from '../generated/graphql.js';
import { Family } from './Family.js';
import { FamilyEvent } from './FamilyEvent.js';
import { FamilyInvitation } from './FamilyInvitation.js';
import { FamilyMember } from './FamilyMember.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { TodoItem } from './TodoItem.js';
import { TodoList } from './TodoList.js';
import { User } from './User.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Family,
  FamilyMember,
  FamilyInvitation,
  TodoList,
  TodoItem,
  FamilyEvent,
  User,
};
