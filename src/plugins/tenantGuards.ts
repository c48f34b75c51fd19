import type { Access, BaseFilter, CollectionConfig, Config, Field, FilterOptions, Plugin, Validate, Where } from 'payload'
import { relationship as relationshipValidation, upload as uploadValidation } from 'payload/shared'

import { normalizeWhere, withNormalizedWhere } from '@/access/normalizeWhere'
import { relationID } from '@/access/orgAccess'
import { guardReferences, ORG_FIELD, type ReferenceGuardOptions } from '@/hooks/guardReferences'
import { loudFields, refuseDeniedFieldWrites } from '@/hooks/refuseDeniedFieldWrites'

/** Access keys whose result filters rows (a `where`), which normalizeWhere makes index-friendly. */
const READ_LIKE = new Set(['read', 'update', 'delete', 'readVersions', 'unlock'])

const normalizedBaseFilter =
  (filter: BaseFilter): BaseFilter =>
  async (args) => {
    const result = await filter(args)
    return result ? normalizeWhere(result as Where) : result
  }

const hasOrgField = (collection: CollectionConfig): boolean =>
  collection.fields.some((field) => field.type === 'relationship' && field.name === ORG_FIELD && field.relationTo === 'organizations')

/** Same-organisation choices for an upload field (the multi-tenant plugin filters relationship fields only). */
const sameOrgOptions: FilterOptions = ({ data }) => {
  const org = relationID((data as Record<string, never> | undefined)?.[ORG_FIELD])
  return org === undefined ? true : { [ORG_FIELD]: { equals: org } }
}

const guardFields = (fields: Field[], options: ReferenceGuardOptions): Field[] =>
  fields.map((field): Field => {
    switch (field.type) {
      case 'relationship':
      case 'upload': {
        const fallback = (field.type === 'upload' ? uploadValidation : relationshipValidation) as Validate
        const targetsOrgScoped = (Array.isArray(field.relationTo) ? field.relationTo : [field.relationTo]).some((slug) => options.orgScopedCollections.has(slug))
        return {
          ...field,
          ...(field.type === 'upload' && !field.filterOptions && options.sourceHasOrg && targetsOrgScoped ? { filterOptions: sameOrgOptions } : {}),
          validate: guardReferences((field.validate as Validate | undefined) ?? fallback, field.relationTo, options),
        } as Field
      }
      case 'array':
      case 'collapsible':
      case 'group':
      case 'row':
        return { ...field, fields: guardFields(field.fields, options) } as Field
      case 'blocks':
        return { ...field, blocks: field.blocks.map((block) => (typeof block === 'string' ? block : { ...block, fields: guardFields(block.fields, options) })) } as Field
      case 'tabs':
        return { ...field, tabs: field.tabs.map((tab) => ({ ...tab, fields: guardFields(tab.fields, options) })) } as Field
      default:
        return field
    }
  })

/**
 * Tenant guards for every collection of the config, whoever defined it (ours and plugins'), so a
 * collection added later gets them without anyone remembering to:
 * - every relationship and upload field accepts, from a user, only documents that user can read and,
 *   where both sides belong to an organisation, only the document's own organisation's (a field error
 *   otherwise); upload fields offer only that organisation's files in the admin;
 * - fields marked LOUD_ACCESS refuse a denied write with a 403 instead of dropping it silently;
 * - access filters and the admin's list filter are normalised (normalizeWhere) so sorted lists use indexes.
 * Runs last among the plugins, after the multi-tenant plugin has added its `org` fields.
 */
export const tenantGuardsPlugin: Plugin = (config: Config): Config => {
  const collections = config.collections ?? []
  const orgScopedCollections = new Set(collections.filter(hasOrgField).map((collection) => collection.slug))
  return {
    ...config,
    collections: collections.map((collection) => {
      const options = { sourceCollection: collection.slug, sourceHasOrg: orgScopedCollections.has(collection.slug), orgScopedCollections }
      const fields = guardFields(collection.fields, options)
      const loud = loudFields(fields)
      return {
        ...collection,
        fields,
        access: Object.fromEntries(
          Object.entries(collection.access ?? {}).map(([key, access]) => [key, typeof access === 'function' && READ_LIKE.has(key) ? withNormalizedWhere(access as Access) : access]),
        ),
        admin: {
          ...collection.admin,
          ...(typeof collection.admin?.baseFilter === 'function' ? { baseFilter: normalizedBaseFilter(collection.admin.baseFilter) } : {}),
        },
        hooks: {
          ...collection.hooks,
          beforeOperation: [...(collection.hooks?.beforeOperation ?? []), ...(loud.length ? [refuseDeniedFieldWrites(collection.slug, loud)] : [])],
        },
      }
    }),
  }
}
