/* Payload's generated GraphQL route, with the request body bounded (limitGraphQLBody). */
import config from '@payload-config'
import { GRAPHQL_POST, REST_OPTIONS } from '@payloadcms/next/routes'

import { limitGraphQLBody } from '@/endpoints/graphql-body-limit'

export const POST = limitGraphQLBody(GRAPHQL_POST(config))

export const OPTIONS = REST_OPTIONS(config)
