import type { CostumeResolvers } from '../generated/graphql.js';

export const Costume: CostumeResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.costume.load(ref.id),
  viewerHasUpvoted: (costume, _a, ctx) => ctx.loaders.viewerUpvoted.load(costume.id),
  author: (costume) => ({ __typename: 'User', id: costume.authorId }),
};
