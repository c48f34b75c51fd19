/* Payload's generated GraphQL route, with the request body (limitGraphQLBody) and its database work (boundedRoute) bounded. */
import config from '@payload-config'
import { GRAPHQL_POST, REST_OPTIONS } from '@payloadcms/next/routes'

import { boundedRoute } from '@/endpoints/bounded-route'
import { limitGraphQLBody } from '@/endpoints/graphql-body-limit'

export const POST = boundedRoute(limitGraphQLBody(GRAPHQL_POST(config)))

export const OPTIONS = REST_OPTIONS(config)
