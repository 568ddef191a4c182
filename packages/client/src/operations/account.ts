import { graphql } from '../gql/index.js';

/** Example operations for apps; each is fully typed from the supergraph schema. */
export const meQuery = graphql(`
  query Me {
    me {
      id
      username
      displayName
      email
      createdAt
      credits {
        balance
      }
    }
  }
`);

export const registerMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      accessToken
      refreshToken
      expiresAt
      user {
        id
        username
      }
      device {
        id
        name
      }
    }
  }
`);

export const loginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      refreshToken
      expiresAt
      user {
        id
        username
      }
    }
  }
`);

export const refreshSessionMutation = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      expiresAt
    }
  }
`);
