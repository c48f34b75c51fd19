import type { Payload, TypedUser } from 'payload'

import { hasOrgPermission } from '@/access/orgAccess'

import { AppError, isAppError } from '../errors/app-error'
import { extractArticleText } from './extract-article-text'
import { MAX_ARTICLE_CHARS } from './knowledge-settings'

export type ImportedFile = { fileName: string; ok: true; id: number; title: string; status: 'draft' | 'published' } | { fileName: string; ok: false; error: string }

/** At most this many files in one import. */
export const MAX_IMPORT_FILES = 20

/**
 * Turns uploaded .md, .txt, .html and .pdf files into knowledge-base articles of an org, as the user
 * (`kb.edit` is checked by the collection's access, like any create): drafts unless `publish`. Each
 * file succeeds or fails on its own, with a sentence; nothing half-made is kept.
 */
export const importKbArticles = async ({
  payload,
  user,
  org,
  files,
  publish,
}: {
  payload: Payload
  user: TypedUser | null
  org: number
  files: { name: string; bytes: Uint8Array; mimeType?: string }[]
  publish: boolean
}): Promise<ImportedFile[]> => {
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to import articles.')
  if (files.length === 0) throw new AppError('INVALID_INPUT', 'Attach one or more files as `file` (.md, .txt, .html or .pdf).')
  if (files.length > MAX_IMPORT_FILES) throw new AppError('INVALID_INPUT', `At most ${MAX_IMPORT_FILES} files at once; this import has ${files.length}.`)
  if (!hasOrgPermission(user, org, 'kb.edit')) {
    const member = await payload.findByID({ collection: 'organizations', id: org, depth: 0, user, overrideAccess: false, disableErrors: true })
    if (!member) throw new AppError('NOT_FOUND', 'No such organisation, or you are not a member of it.')
    throw new AppError('FORBIDDEN', 'Your role in this organisation does not allow writing knowledge-base articles (kb.edit).')
  }
  const results: ImportedFile[] = []
  for (const file of files) {
    try {
      const { title, body, format } = await extractArticleText(file)
      if (body.length > MAX_ARTICLE_CHARS) throw new AppError('INVALID_INPUT', `"${file.name}" holds ${body.length.toLocaleString('en-GB')} characters of text; an article may have at most ${MAX_ARTICLE_CHARS.toLocaleString('en-GB')}: split it.`)
      const status = publish ? 'published' : 'draft'
      const doc = await payload.create({
        collection: 'kb-articles',
        data: { org, title, body, status, source: { fileName: file.name.slice(0, 255), format } },
        user,
        overrideAccess: false,
        depth: 0,
      })
      results.push({ fileName: file.name, ok: true, id: doc.id, title, status })
    } catch (error) {
      if (!isAppError(error) && (error as { status?: number }).status !== 400) throw error
      results.push({ fileName: file.name, ok: false, error: (error as Error).message })
    }
  }
  return results
}
