/**
 * The role matrix: the one place that says which per-org role may do what.
 * Access functions, hooks, the README table (`npm run docs:roles`) and the role tests all read it,
 * so documentation and behaviour cannot drift apart.
 */
export const ORG_ROLES = ['admin', 'approver', 'sender', 'viewer'] as const
export type OrgRole = (typeof ORG_ROLES)[number]

export const ROLE_LABELS: Record<OrgRole, string> = {
  admin: 'Org admin',
  approver: 'Approver (editor)',
  sender: 'Sender (staff)',
  viewer: 'Viewer',
}

type ActionSpec = { label: string; roles: readonly OrgRole[] }

const ALL: readonly OrgRole[] = ORG_ROLES

export const ROLE_MATRIX = {
  'org.read': { label: 'See the organisation and its data', roles: ALL },
  'org.settings': { label: 'Change sending settings and provider credentials', roles: ['admin'] },
  'users.manage': { label: 'Invite users and change their roles', roles: ['admin'] },
  'contacts.read': { label: 'Read contacts', roles: ALL },
  'contacts.edit': { label: 'Create, edit and delete contacts', roles: ['admin', 'sender'] },
  'segments.edit': { label: 'Create and edit segments (saved audiences)', roles: ['admin', 'sender'] },
  'media.upload': { label: 'Upload and delete attachments', roles: ['admin', 'sender'] },
  'templates.edit': { label: 'Create and edit draft templates', roles: ['admin', 'sender'] },
  'templates.submit': { label: 'Submit a template for approval', roles: ['admin', 'sender'] },
  'templates.approve': { label: 'Approve or reject a template', roles: ['admin', 'approver'] },
  'templates.testSend': { label: 'Send a test of a template to oneself', roles: ['admin', 'approver', 'sender'] },
  'jobs.queue': { label: 'Compose and queue a job (email or SMS)', roles: ['admin', 'sender'] },
  'jobs.cancel': { label: 'Cancel, pause or resume a job', roles: ['admin', 'sender'] },
  'suppressions.manage': { label: 'Add and lift suppressions', roles: ['admin'] },
  'suppressions.review': { label: 'Confirm or dismiss suppression candidates (review queue)', roles: ['admin', 'approver'] },
  'audit.read': { label: 'Read the audit log', roles: ['admin'] },
  'metrics.read': { label: 'See analytics and delivery metrics', roles: ALL },
  'inbound.reply': { label: 'Reply to inbound messages, close and reopen conversations', roles: ['admin', 'sender'] },
  'inbound.link': { label: 'Link a conversation to a contact, or create the contact from it', roles: ['admin', 'sender'] },
  'bookings.edit': { label: 'Create, reschedule and cancel bookings', roles: ['admin', 'sender'] },
  'calendars.connect': { label: 'Connect one’s own Google or Microsoft calendar to bookings', roles: ['admin', 'sender'] },
  'calendars.shared': { label: 'Connect the organisation’s shared calendar and see every calendar connection', roles: ['admin'] },
  'kb.edit': { label: 'Write, publish and delete knowledge-base articles', roles: ['admin', 'approver'] },
  'assistant.use': { label: 'Ask the assistant and have it suggest replies', roles: ['admin', 'approver', 'sender'] },
  'assistant.logs': { label: "Read the assistant's log of questions and answers", roles: ['admin'] },
} as const satisfies Record<string, ActionSpec>

export type OrgAction = keyof typeof ROLE_MATRIX

export const ORG_ACTIONS = Object.keys(ROLE_MATRIX) as OrgAction[]

export const roleAllows = (role: OrgRole, action: OrgAction): boolean =>
  (ROLE_MATRIX[action].roles as readonly OrgRole[]).includes(role)

/** Markdown table of the matrix, printed into README.md between the role-matrix markers. */
export const renderRoleMatrixMarkdown = (): string => {
  const header = `| action | ${ORG_ROLES.map((r) => ROLE_LABELS[r]).join(' | ')} |`
  const rule = `| --- | ${ORG_ROLES.map(() => ':---:').join(' | ')} |`
  const rows = ORG_ACTIONS.map(
    (action) =>
      `| ${ROLE_MATRIX[action].label} (\`${action}\`) | ${ORG_ROLES.map((r) => (roleAllows(r, action) ? '✓' : '—')).join(' | ')} |`,
  )
  return [header, rule, ...rows, '', 'A super admin may do everything in every org.'].join('\n')
}
