import type { CollectionAfterChangeHook, CollectionConfig, Endpoint } from 'payload'

import { orgCreate, orgScoped } from '@/access/orgAccess'
import { statusCell } from '@/fields/status-cell'
import { enforceOrgPermission } from '@/hooks/enforceOrgPermission'
import { AppError } from '@/services/errors/app-error'
import { appErrorResponse } from '@/services/errors/error-response'
import { parseStoredID } from '@/services/http/stored-id'
import { importKbArticles } from '@/services/knowledge/import-kb-articles'
import { indexArticleChunks } from '@/services/knowledge/index-article-chunks'
import { MAX_ARTICLE_CHARS } from '@/services/knowledge/knowledge-settings'
import { statusOptions } from '@/services/vocabulary/statuses'

/** Saving an article re-indexes its changed sections (published) or withdraws it from retrieval (draft). */
const indexOnSave: CollectionAfterChangeHook = async ({ doc, req }) => {
  await indexArticleChunks(req, doc)
  return doc
}

/**
 * POST /api/kb-articles/import (multipart/form-data: `org`, one or more `file`, `publish` true|false):
 * .md, .txt, .html and .pdf files become articles (drafts unless published). 200 with one result per
 * file when at least one was imported, else 400 with the reasons.
 */
const importEndpoint: Endpoint = {
  path: '/import',
  method: 'post',
  handler: async (req) => {
    try {
      if (!req.user) throw new AppError('UNAUTHORIZED', 'Sign in to import articles.')
      const type = req.headers.get('content-type') ?? ''
      if (!type.toLowerCase().startsWith('multipart/form-data')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the files as multipart/form-data, each as `file`, with `org`.')
      const form = await new Response(req.body as ReadableStream, { headers: { 'content-type': type } }).formData()
      const org = parseStoredID(form.get('org'))
      if (org === null) throw new AppError('INVALID_INPUT', '`org` must be an organisation id.')
      const publish = form.get('publish')
      if (publish !== null && publish !== 'true' && publish !== 'false') throw new AppError('INVALID_INPUT', '`publish` must be true or false.')
      const files = await Promise.all(
        form.getAll('file').filter((f): f is File => typeof f !== 'string').map(async (f) => ({ name: f.name || 'file', mimeType: f.type, bytes: new Uint8Array(await f.arrayBuffer()) })),
      )
      const results = await importKbArticles({ payload: req.payload, user: req.user, org, files, publish: publish === 'true' })
      return Response.json({ results }, { status: results.some((r) => r.ok) ? 200 : 400 })
    } catch (error) {
      return appErrorResponse(error)
    }
  },
}

/**
 * The organisation's knowledge base: Markdown articles the assistant answers from. Only published
 * articles are retrievable; each save re-chunks the article by heading and re-indexes what changed.
 */
export const KbArticles: CollectionConfig = {
  slug: 'kb-articles',
  labels: { singular: 'Knowledge-base article', plural: 'Knowledge base' },
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'status', 'tags', 'updatedAt'],
    group: 'Assistant',
    description: 'What the assistant may answer from: opening hours, prices, policies. Only published articles are used.',
    components: { beforeListTable: ['@/components/knowledge/ImportArticles#ImportArticles', '@/components/ListCountNote#ListCountNote'] },
  },
  access: {
    read: orgScoped('org.read'),
    create: orgCreate('kb.edit'),
    update: orgScoped('kb.edit'),
    delete: orgScoped('kb.edit'),
  },
  versions: { maxPerDoc: 50 },
  endpoints: [importEndpoint],
  hooks: { beforeChange: [enforceOrgPermission('kb.edit')], afterChange: [indexOnSave] },
  fields: [
    { name: 'title', type: 'text', required: true, maxLength: 200 },
    {
      name: 'body',
      type: 'textarea',
      required: true,
      maxLength: MAX_ARTICLE_CHARS,
      label: 'Body (Markdown)',
      admin: { rows: 24, description: 'Use ## headings: each section becomes a passage the assistant can quote and cite.' },
    },
    { name: 'tags', type: 'text', hasMany: true, maxRows: 30, maxLength: 40, admin: { position: 'sidebar', description: 'Press Enter after each tag.', components: { Cell: '@/components/TagsCell#TagsCell' } } },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'draft',
      options: statusOptions('kbArticle'),
      admin: { position: 'sidebar', description: 'Drafts are never used in answers.', components: statusCell('kbArticle') },
    },
    {
      name: 'source',
      type: 'group',
      label: 'Imported from',
      admin: { position: 'sidebar', readOnly: true, condition: (data) => Boolean(data?.source?.fileName) },
      fields: [
        { name: 'fileName', type: 'text', maxLength: 255 },
        { name: 'format', type: 'select', options: ['md', 'txt', 'html', 'pdf'] },
      ],
    },
  ],
}
