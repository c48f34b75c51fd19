import Link from 'next/link'
import React from 'react'

import '../imports/import-panel.scss'

/** Above the contacts list: bring contacts in from a CSV file, or take them out as one. */
export const ContactsListActions = () => (
  <div className="import-panel__actions" data-testid="contacts-list-actions" style={{ margin: '0 0 calc(var(--base) / 2)' }}>
    <Link className="btn btn--style-secondary btn--size-small" href="/admin/collections/imports/create">
      Import from CSV
    </Link>
    <Link className="btn btn--style-secondary btn--size-small" href="/admin/collections/exports/create?kind=contacts">
      Export as CSV
    </Link>
  </div>
)
