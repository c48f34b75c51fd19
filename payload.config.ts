import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { multiTenantPlugin } from '@payloadcms/plugin-multi-tenant'
import { lexicalEditor } from '@payloadcms/richtext-lexical'
import { buildConfig, type FieldAccess } from 'payload'

import { loudAccess } from './src/access/fieldAccess'
import { isSuperAdmin, orgIDsAllowing } from './src/access/orgAccess'
import { ORG_ROLES } from './src/access/roles'
import { AssistantLogs } from './src/collections/AssistantLogs'
import { AuditLogs } from './src/collections/AuditLogs'
import { BookingInvitations } from './src/collections/BookingInvitations'
import { BookingSyncs } from './src/collections/BookingSyncs'
import { CalendarConnections } from './src/collections/CalendarConnections'
import { Bookings } from './src/collections/Bookings'
import { Contacts } from './src/collections/Contacts'
import { EmailJobs } from './src/collections/EmailJobs'
import { EmailRecipients } from './src/collections/EmailRecipients'
import { EmailTemplates } from './src/collections/EmailTemplates'
import { KbArticles } from './src/collections/KbArticles'
import { Media } from './src/collections/Media'
import { Organizations } from './src/collections/Organizations'
import { Exports } from './src/collections/Exports'
import { Imports } from './src/collections/Imports'
import { Segments } from './src/collections/Segments'
import { Suppressions } from './src/collections/Suppressions'
import { Users } from './src/collections/Users'
import { Conversations } from './src/collections/Conversations'
import { InboundEmails } from './src/collections/InboundEmails'
import { Messages } from './src/collections/Messages'
import { SmsOutbox } from './src/collections/SmsOutbox'
import { WebhookEvents } from './src/collections/WebhookEvents'
import { databaseAdapter } from './src/db/adapter'
import { jobs } from './src/jobs'
import { emailAdapter } from './src/integrations/email/payload-email-adapter'
import { allowedOrigins, resolvePayloadSecret } from './src/services/config/server-env'
import { resolveFernetKey } from './src/services/crypto/secrets'
import { onInit } from './src/seed/on-init'
import { healthEndpoints } from './src/endpoints/health'
import { metricsPrometheusEndpoints } from './src/endpoints/metrics-prometheus'
import { metricsSummaryEndpoint } from './src/endpoints/metrics-summary'
import { assistantAskEndpoint, assistantSuggestReplyEndpoint, assistantUsageEndpoint } from './src/endpoints/assistant'
import { serverAssistantProvider } from './src/integrations/assistant'
import { sendgridWebhookEndpoints } from './src/endpoints/sendgrid-webhook'
import { inboundEmailEndpoint } from './src/endpoints/inbound-email'
import { twilioInboundEndpoint } from './src/endpoints/twilio-inbound'
import { twilioStatusEndpoint } from './src/endpoints/twilio-status'
import { unsubscribeEndpoints } from './src/endpoints/unsubscribe'
import { answerInputErrors } from './src/hooks/answerInputErrors'
import { hardenBuiltIns } from './src/plugins/hardenBuiltIns'
import { datePresentation } from './src/plugins/datePresentation'
import { organisationWording } from './src/plugins/organisationWording'
import { tenantGuardsPlugin } from './src/plugins/tenantGuards'

const dirname = path.dirname(fileURLToPath(import.meta.url))

// Fail at start-up, not at the first send, when production lacks a valid FERNET_KEY.
resolveFernetKey()
// …and when ASSISTANT_PROVIDER names no provider we have.
serverAssistantProvider()

/** Memberships and roles are edited by super admins and org admins (in their own orgs, see guardMembershipChanges). */
const canManageMembers: FieldAccess = ({ req }) => !req.user || isSuperAdmin(req.user) || orgIDsAllowing(req.user, 'users.manage').length > 0

/** One answer for a wrong password and a locked account, so a login never tells whether an account exists. */
const LOGIN_REFUSED = 'The email or password is incorrect, or the account is locked for 15 minutes after 5 failed attempts.'

// hardenBuiltIns: tenant rules and input checks for the collections and endpoints Payload adds itself.
export default buildConfig({
  secret: resolvePayloadSecret(),
  serverURL: process.env.SITE_URL || undefined,
  cors: allowedOrigins(),
  csrf: allowedOrigins(),
  admin: {
    user: Users.slug,
    importMap: { baseDir: path.resolve(dirname, 'src') },
    meta: { titleSuffix: ' · Outpost' },
    // No Gravatar: the admin must not call out to third parties.
    avatar: 'default',
    // Payload's own date displays (a document's Created and Updated) in one unambiguous style; lists use DateCell.
    dateFormat: 'd MMM yyyy, HH:mm',
    components: {
      graphics: { Logo: '@/components/brand/Logo#Logo', Icon: '@/components/brand/Logo#Icon' },
      providers: ['@/components/DesktopNavOpen#DesktopNavOpen', '@/components/AccessibleControls#AccessibleControls'],
      beforeNavLinks: ['@/components/inbox/InboxNavLink#InboxNavLink', '@/components/assistant/AssistantNavLink#AssistantNavLink'],
      beforeDashboard: ['@/components/home/HomeDashboard#HomeDashboard'],
      header: ['@/components/calendar/ReconnectBanner#ReconnectBanner'],
      afterNavLinks: ['@/components/analytics/AnalyticsNavLink#AnalyticsNavLink'],
      views: {
        analytics: { Component: '@/components/analytics/AnalyticsView#AnalyticsView', path: '/analytics', exact: true, meta: { title: 'Analytics' } },
        assistant: { Component: '@/components/assistant/AssistantView#AssistantView', path: '/assistant', exact: true, meta: { title: 'Assistant' } },
        bookingsCalendar: { Component: '@/components/bookings/BookingsCalendarView#BookingsCalendarView', path: '/calendar', exact: true, meta: { title: 'Bookings calendar' } },
        inbox: { Component: '@/components/inbox/InboxView#InboxView', path: '/inbox', exact: true, meta: { title: 'Inbox' } },
      },
    },
  },
  collections: [Contacts, Segments, Imports, Exports, EmailTemplates, EmailJobs, EmailRecipients, Media, Suppressions, SmsOutbox, Conversations, Messages, InboundEmails, Bookings, BookingInvitations, CalendarConnections, BookingSyncs, KbArticles, Organizations, Users, AuditLogs, AssistantLogs, WebhookEvents],
  db: databaseAdapter(),
  endpoints: [...healthEndpoints, ...sendgridWebhookEndpoints, twilioInboundEndpoint, twilioStatusEndpoint, inboundEmailEndpoint, ...unsubscribeEndpoints, ...metricsPrometheusEndpoints, metricsSummaryEndpoint, assistantAskEndpoint, assistantSuggestReplyEndpoint, assistantUsageEndpoint],
  editor: lexicalEditor(),
  email: emailAdapter(),
  upload: { limits: { fileSize: 10 * 1024 * 1024 } },
  typescript: { outputFile: path.resolve(dirname, 'src/payload-types.ts') },
  jobs: {
    ...jobs,
    // Running, queueing or cancelling Payload jobs over the API (e.g. GET /api/payload-jobs/run) would run
    // every organisation's queued work in the web process: the super admin's only. Workers run them anyway.
    access: { run: ({ req }) => isSuperAdmin(req.user), queue: ({ req }) => isSuperAdmin(req.user), cancel: ({ req }) => isSuperAdmin(req.user) },
  },
  hooks: { afterError: [answerInputErrors] },
  // An empty cell is a dash, not "<No Last Error>".
  i18n: { translations: { en: { error: { userLocked: LOGIN_REFUSED, emailOrPasswordIncorrect: LOGIN_REFUSED }, general: { noLabel: '—' } } } },
  onInit,
  // LOG_LEVEL=fatal keeps test output readable; Payload logs every refused request at error level.
  logger: process.env.LOG_LEVEL ? { options: { level: process.env.LOG_LEVEL } } : undefined,
  plugins: [
    multiTenantPlugin({
      tenantsSlug: 'organizations',
      tenantField: { name: 'org' },
      tenantsArrayField: {
        arrayFieldName: 'orgs',
        arrayTenantFieldName: 'org',
        // Org admins manage memberships too; guardMembershipChanges limits them to their own orgs. Others
        // see their memberships read-only, and the API refuses their changes with a 403.
        arrayFieldAccess: { create: canManageMembers, update: loudAccess(canManageMembers, 'Only an org admin changes memberships and roles.') },
        rowFields: [
          {
            name: 'roles',
            type: 'select',
            hasMany: true,
            required: true,
            defaultValue: ['viewer'],
            options: ORG_ROLES.map((role) => ({ label: role, value: role })),
            saveToJWT: true,
          },
        ],
      },
      collections: { contacts: {}, segments: {}, imports: {}, exports: {}, 'email-jobs': {}, 'email-templates': {}, media: {}, 'kb-articles': {}, bookings: {} },
      userHasAccessToAllTenants: (user) => isSuperAdmin(user),
      i18n: { translations: { en: { 'nav-tenantSelector-label': 'Organisation' } } },
    }),
    organisationWording,
    datePresentation,
    // Last: it walks every collection, including the fields the multi-tenant plugin added.
    tenantGuardsPlugin,
  ],
}).then(hardenBuiltIns)
