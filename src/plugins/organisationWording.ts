import type { CollectionConfig, Config, Field } from 'payload'

const ORGANISATION = { singular: 'Organisation', plural: 'Organisations' }

/**
 * A label Payload or a plugin made up for an organisation field: none ("Org"), a translation function
 * (the multi-tenant plugin's "Assigned Tenant"), or one of those words.
 */
const isGeneratedLabel = (label: unknown) =>
  label === undefined || typeof label === 'function' || (typeof label === 'string' && /^(org|orgs|tenant|tenants|assigned tenant)$/i.test(label.trim()))

const relabel = (fields: Field[]): Field[] =>
  fields.map((field) => {
    if (field.type === 'relationship' && field.relationTo === 'organizations' && isGeneratedLabel(field.label)) {
      return { ...field, label: field.hasMany ? ORGANISATION.plural : ORGANISATION.singular }
    }
    if (field.type === 'tabs') return { ...field, tabs: field.tabs.map((tab) => ({ ...tab, fields: relabel(tab.fields) })) }
    if ('fields' in field && Array.isArray(field.fields)) {
      const labelled = field.type === 'array' && field.name === 'orgs' && isGeneratedLabel(field.label) ? { label: ORGANISATION.plural } : {}
      return { ...field, ...labelled, fields: relabel(field.fields) } as Field
    }
    return field
  })

/** A tenant collection: it has a top-level `org` relationship. */
const orgFieldOf = (collection: CollectionConfig) => collection.fields.some((f) => 'name' in f && f.name === 'org' && f.type === 'relationship')

/**
 * One word for one thing: every organisation field is labelled "Organisation" (Payload would say "Org",
 * the multi-tenant plugin "Assigned Tenant"), and every tenant list shows the Organisation column (its
 * default columns gain `org` second), so the super admin, who sees every organisation's rows, can tell
 * them apart. Runs after the plugins that add fields.
 */
export const organisationWording = (config: Config): Config => ({
  ...config,
  collections: (config.collections ?? []).map((collection) => {
    // The multi-tenant plugin hides its organisation field from list columns and filters: show it.
    const fields = relabel(collection.fields).map((field) =>
      'name' in field && field.name === 'org' && field.type === 'relationship' ? ({ ...field, admin: { ...field.admin, disableListColumn: false, disableListFilter: false } } as Field) : field,
    )
    const columns = collection.admin?.defaultColumns
    const withOrg = orgFieldOf(collection) && columns && !columns.includes('org') ? [columns[0]!, 'org', ...columns.slice(1)] : columns
    return {
      ...collection,
      ...(collection.slug === 'organizations' ? { labels: ORGANISATION } : {}),
      fields,
      admin: { ...collection.admin, ...(withOrg ? { defaultColumns: withOrg } : {}) },
    }
  }),
})
