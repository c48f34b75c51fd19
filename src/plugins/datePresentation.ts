import type { Config, Field } from 'payload'

const DATE_CELL = { path: '@/components/dates/DateCell#DateCell' }
const DATE_FIELD = { path: '@/components/dates/DateField#DateField' }

/** Pickers in one unambiguous style (date-fns patterns): a day-first month name, never "12/06/2026". */
const DISPLAY_FORMATS: Record<string, string> = { dayOnly: 'd MMM yyyy', dayAndTime: 'd MMM yyyy, HH:mm', timeOnly: 'HH:mm', monthOnly: 'MMM yyyy' }

const withCell = (fields: Field[]): Field[] =>
  fields.map((field) => {
    if (field.type === 'date') {
      const appearance = field.admin?.date?.pickerAppearance ?? 'dayOnly'
      return {
        ...field,
        admin: {
          ...field.admin,
          date: { ...field.admin?.date, displayFormat: field.admin?.date?.displayFormat ?? DISPLAY_FORMATS[appearance] ?? DISPLAY_FORMATS.dayOnly },
          components: { ...field.admin?.components, Cell: field.admin?.components?.Cell ?? DATE_CELL, Field: field.admin?.components?.Field ?? DATE_FIELD },
        },
      }
    }
    if (field.type === 'tabs') return { ...field, tabs: field.tabs.map((tab) => ({ ...tab, fields: withCell(tab.fields) })) }
    if ((field.type === 'row' || field.type === 'collapsible' || field.type === 'group') && Array.isArray(field.fields)) return { ...field, fields: withCell(field.fields) } as Field
    return field
  })

const hasField = (fields: Field[], name: string) => fields.some((f) => 'name' in f && f.name === name)

/**
 * One date style everywhere: every date column of every list shows the date in the viewer's locale and
 * time zone (their own, else their organisation's), with the full timestamp and zone as its tooltip
 * (DateCell); on edit pages a date the person cannot change reads the same way (DateField) and a picker
 * shows an unambiguous day-month-year. Payload's own createdAt/updatedAt are declared here exactly as Payload would add them
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
