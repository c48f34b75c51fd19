import type { Endpoint } from 'payload'

import { checkReadiness } from '@/services/health/check-readiness'

const noStore = { 'cache-control': 'no-store' }

/**
 * GET /api/health: liveness. The process answers HTTP; touches nothing (no database, no login, no data).
 * GET /api/health/ready[?require=worker]: readiness. 200 when the database answers and every migration of
 * this build is applied, else 503 saying which; reports the newest worker heartbeat's age, and with
 * `require=worker` is 503 unless a worker beat within WORKER_HEARTBEAT_MAX_AGE_SECONDS.
 * Both are public on purpose (probes send no credentials) and say nothing about any organisation.
 */
export const healthEndpoints: Endpoint[] = [
  {
    path: '/health',
    method: 'get',
    handler: async () => Response.json({ status: 'ok' }, { headers: noStore }),
  },
  {
    path: '/health/ready',
    method: 'get',
    handler: async (req) => {
      const require = req.searchParams.get('require')
      if (require !== null && require !== 'worker') return Response.json({ errors: [{ message: '`require` can only be `worker`.' }] }, { status: 400, headers: noStore })
      const readiness = await checkReadiness({ payload: req.payload, requireWorker: require === 'worker' })
      return Response.json({ status: readiness.ready ? 'ready' : 'not ready', ...readiness }, { status: readiness.ready ? 200 : 503, headers: noStore })
    },
  },
]
