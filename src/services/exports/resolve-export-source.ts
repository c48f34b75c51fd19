import type { Payload, PayloadRequest } from 'payload'

import { readOrgSegments } from '../audiences/read-org-segments'
import { requireJobOfOrg } from '../audiences/require-job-of-org'
import { requireContactsReader } from '../contacts/require-contacts-reader'
import { AppError } from '../errors/app-error'
import type { ExportKind } from './export-definitions'
import type { ExportSource } from './export-rows'

type User = NonNullable<PayloadRequest['user']>

export type ExportRequest = { org: number; kind: ExportKind; segment?: number | null; job?: number | null }

/**
 * What an export reads, checked as the user: the org's contacts (contacts.read), a segment of that org
 * (its rules read through access control), or a job of that org. Anything else is a 4xx saying why.
 * Returns the source and a name for the file.
 */
export const resolveExportSource = async ({ payload, user, request }: { payload: Payload; user: User | null | undefined; request: ExportRequest }): Promise<{ source: ExportSource; name: string }> => {
  const reader = await requireContactsReader({ payload, user, org: request.org, action: 'export contacts' })
  if (request.kind === 'segment') {
    if (!request.segment) throw new AppError('INVALID_INPUT', 'Choose the segment to export.')
    const rules = (await readOrgSegments({ payload, user: reader, org: request.org, ids: [request.segment] })).get(request.segment)!
    const segment = await payload.findByID({ collection: 'segments', id: request.segment, depth: 0, user: reader, overrideAccess: false })
    return { source: { org: request.org, kind: 'segment', rules }, name: `segment-${segment.name}` }
  }
  if (request.kind === 'job') {
    if (!request.job) throw new AppError('INVALID_INPUT', 'Choose the email job whose recipients to export.')
    const job = await requireJobOfOrg({ payload, user: reader, job: request.job, org: request.org })
    return { source: { org: request.org, kind: 'job', job: request.job }, name: `job-${job.name}-recipients` }
  }
  return { source: { org: request.org, kind: 'contacts' }, name: 'contacts' }
}

/** A file name from a name: letters, digits, dashes; dated. */
export const exportFileName = (name: string): string =>
  `${name.normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'export'}-${new Date().toISOString().slice(0, 10)}.csv`
