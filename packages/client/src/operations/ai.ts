import { graphql } from '../gql/index.js';

/** What an app shows before an AI feature: which models answer now, and what is left of the allowance. */
export const aiModelsQuery = graphql(`
  query AiModels {
    aiModels {
      model
      provider
      free
      available
      requiresApiKey
      creditsPerRequest
    }
  }
`);

export const myAiQuery = graphql(`
  query MyAi {
    me {
      id
      credits {
        balance
      }
      rateLimits {
        plan
        perMinute {
          limit
          remaining
          resetsAt
        }
        perDay {
          limit
          remaining
        }
      }
      apiKeys {
        id
        provider
        label
        last4
        active
      }
      aiUsage(first: 10) {
        totalCredits
        edges {
          node {
            domain
            feature
            model
            outcome
            credits
            createdAt
          }
        }
      }
    }
  }
`);

export const chatMutation = graphql(`
  mutation Chat($input: ChatInput!) {
    chat(input: $input) {
      message {
        role
        content
      }
      model
      provider
      credits
    }
  }
`);

export const generateSpookyRecipeMutation = graphql(`
  mutation GenerateSpookyRecipe($input: GenerateSpookyRecipeInput) {
    generateSpookyRecipe(input: $input) {
      id
      name
      spookinessLevel
      ingredients {
        name
        quantity
        unit
      }
      instructions
    }
  }
`);
