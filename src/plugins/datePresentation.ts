import type { Config, Field } from 'payload'

const DATE_CELL = { path: '@/components/dates/DateCell#DateCell' }

const withCell = (fields: Field[]): Field[] =>
  fields.map((field) => {
    if (field.type === 'date') {
      return field.admin?.components?.Cell ? field : { ...field, admin: { ...field.admin, components: { ...field.admin?.components, Cell: DATE_CELL } } }
    }
    if (field.type === 'tabs') return { ...field, tabs: field.tabs.map((tab) => ({ ...tab, fields: withCell(tab.fields) })) }
    if ((field.type === 'row' || field.type === 'collapsible' || field.type === 'group') && Array.isArray(field.fields)) return { ...field, fields: withCell(field.fields) } as Field
    return field
  })

const hasField = (fields: Field[], name: string) => fields.some((f) => 'name' in f && f.name === name)

/**
 * One date style everywhere: every date column of every list shows the date in the viewer's locale and
 * time zone (their own, else their organisation's), with the full timestamp and zone as its tooltip
 * (DateCell). Payload's own createdAt/updatedAt are declared here exactly as Payload would add them
 * (same type, index and hidden admin), with that cell.
 */
export const datePresentation = (config: Config): Config => ({
  ...config,
  collections: (config.collections ?? []).map((collection) => {
    const fields = withCell(collection.fields)
    if (collection.timestamps !== false) {
      if (!hasField(fields, 'updatedAt')) fields.push({ name: 'updatedAt', type: 'date', index: true, label: 'Updated', admin: { disableBulkEdit: true, hidden: true, components: { Cell: DATE_CELL } } })
      if (!hasField(fields, 'createdAt')) fields.push({ name: 'createdAt', type: 'date', index: true, label: 'Created', admin: { disableBulkEdit: true, hidden: true, components: { Cell: DATE_CELL } } })
    }
    return { ...collection, fields }
  }),
})
