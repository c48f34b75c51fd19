/* Payload's generated REST route, with each request's database work bounded (boundedRoute). */
import config from '@payload-config'
import '@payloadcms/next/css'
import { REST_DELETE, REST_GET, REST_OPTIONS, REST_PATCH, REST_POST, REST_PUT } from '@payloadcms/next/routes'

import { boundedRoute } from '@/endpoints/bounded-route'

export const GET = boundedRoute(REST_GET(config))
export const POST = boundedRoute(REST_POST(config))
export const DELETE = boundedRoute(REST_DELETE(config))
export const PATCH = boundedRoute(REST_PATCH(config))
export const PUT = boundedRoute(REST_PUT(config))
export const OPTIONS = REST_OPTIONS(config)
