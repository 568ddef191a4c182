import { DateTimeScalar } from '@calos/service';
import type { Resolvers } from '../generated/graphql.js';
import { Credits } from './Credits.js';
import { Device } from './Device.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Session } from './Session.js';
import { User } from './User.js';
import { UserSubscription } from './UserSubscription.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  User,
  Device,
  Session,
  Credits,
  UserSubscription,
};
