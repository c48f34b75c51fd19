import { TenantField as TenantField_1d0591e3cf4f332c83a86da13a0de59a } from '@payloadcms/plugin-multi-tenant/client'
import { TagsCell as TagsCell_78525ef1f3e15da81b08747eeb4ef6c8 } from '@/components/TagsCell'
import { OrgTagsField as OrgTagsField_71c8c9c79f02c45336c389d96e467389 } from '@/components/tags/OrgTagsField'
import { ContactActivity as ContactActivity_8cabade67508851400a093023d32e924 } from '@/components/contact-activity/ContactActivity'
import { DateCell as DateCell_9345af85e7eed70c92d46a4c47ecd1ba } from '@/components/dates/DateCell'
import { ContactsListActions as ContactsListActions_7cbb6ebadc72306761a7fe42ad6f7932 } from '@/components/imports/ListActions'
import { ListCountNote as ListCountNote_1ec5aee0e4890ea91b00ad30f70c1397 } from '@/components/ListCountNote'
import { AssignTenantFieldTrigger as AssignTenantFieldTrigger_1d0591e3cf4f332c83a86da13a0de59a } from '@payloadcms/plugin-multi-tenant/client'
import { SegmentLinks as SegmentLinks_13791b6e0f065d2b019376dd95c18c9b } from '@/components/segments/SegmentLinks'
import { SegmentBuilder as SegmentBuilder_5d7f6bf3e8ae2227045ecb0f20f8d100 } from '@/components/segments/SegmentBuilder'
import { ImportPanel as ImportPanel_385c6cc39c60c20e20483d74a32c0512 } from '@/components/imports/ImportPanel'
import { DateField as DateField_290422b7424550070ae96f9d7b5aac6e } from '@/components/dates/DateField'
import { NoSaveButton as NoSaveButton_2e76627240611fb5644f865a3b0c65f5 } from '@/components/imports/NoSaveButton'
import { ExportPanel as ExportPanel_feb7845503c5df368d2330a9b1141634 } from '@/components/exports/ExportPanel'
import { SmsBodyField as SmsBodyField_653b549e46627450acc304577687cf71 } from '@/components/SmsBodyField'
import { StatusCell as StatusCell_387144b93774826b8b5fe2a4e296d1f5 } from '@/components/status/StatusCell'
import { TemplateWorkflow as TemplateWorkflow_9672196668c120f98d559353cd792b45 } from '@/components/TemplateWorkflow'
import { TemplatePreview as TemplatePreview_8b991a385e299f1784953745a2a94b47 } from '@/components/TemplatePreview'
import { TemplateEngagement as TemplateEngagement_02c3f83c2c2e7744a8295e4792f3a140 } from '@/components/engagement/TemplateEngagement'
import { JobProgress as JobProgress_c1661effb7cc209853df9561c3c28b56 } from '@/components/job-detail/JobProgress'
import { JobEngagement as JobEngagement_4e5fec4eec76c6e65f84987ca0bdcbdd } from '@/components/engagement/JobEngagement'
import { JobRecipients as JobRecipients_c5b80f4cd87d1752c72521c81a340148 } from '@/components/job-detail/JobRecipients'
import { RecipientPicker as RecipientPicker_153ad5de7c665e7c433f5834f0da4e86 } from '@/components/recipient-picker/RecipientPicker'
import { AudienceSummary as AudienceSummary_a58d03a48beb82bd57a72c218735f151 } from '@/components/audience/AudienceSummary'
import { JobActions as JobActions_92e9ca178f83e743b7a982eecde0ad48 } from '@/components/JobActions'
import { JsonView as JsonView_1a87ff5e21c49cff7bcbb32027b40f10 } from '@/components/JsonView'
import { SuppressionReview as SuppressionReview_af6704db58f35b9c352159ba498af28a } from '@/components/suppressions/SuppressionReview'
import { SuppressionsListBar as SuppressionsListBar_e95a24adae4e9f9a176af1733123185a } from '@/components/suppressions/SuppressionsListBar'
import { BookingTimes as BookingTimes_517812d89b8a49277f273f2102a46ec3 } from '@/components/bookings/BookingTimes'
import { BookingSyncState as BookingSyncState_e33252adda62168fb813a88183fea988 } from '@/components/calendar/BookingSyncState'
import { BookingsViewSwitch as BookingsViewSwitch_241ff56c2379accf2af65cfe4f76cece } from '@/components/bookings/BookingsViewSwitch'
import { ConnectCalendar as ConnectCalendar_b6fba9b38181789e3fa17a51fd83538f } from '@/components/calendar/ConnectCalendar'
import { SyncProblemsLink as SyncProblemsLink_ab723aa982e3b0e372d43b067c1c7f2f } from '@/components/calendar/SyncProblemsLink'
import { ImportArticles as ImportArticles_c9bff72c4ab8c27618d2d81bbf011ead } from '@/components/knowledge/ImportArticles'
import { SettingsTestEmail as SettingsTestEmail_11ca7025e63e2c41e03f6f8e90bb6ad7 } from '@/components/SettingsTestEmail'
import { SettingsTestSms as SettingsTestSms_7042cbaa4cc2c53a0cf8333eaa8fabfe } from '@/components/SettingsTestSms'
import { InboundEmailAddress as InboundEmailAddress_53ffb21428dfb19a1692e716a295f8a8 } from '@/components/InboundEmailAddress'
import { WatchTenantCollection as WatchTenantCollection_1d0591e3cf4f332c83a86da13a0de59a } from '@payloadcms/plugin-multi-tenant/client'
import { InvitationCell as InvitationCell_d4298fee8f2e6c95da419a9c722bba55 } from '@/components/users/InvitationCell'
import { Invitations as Invitations_d4d888b996ea29067e4bded5fe09ec1e } from '@/components/users/Invitations'
import { ReconnectBanner as ReconnectBanner_593ecf453bf0d8ab0a78934c1994ef73 } from '@/components/calendar/ReconnectBanner'
import { Icon as Icon_fdf4cffa73f323c9a668fb9f37e710b9 } from '@/components/brand/Logo'
import { Logo as Logo_fdf4cffa73f323c9a668fb9f37e710b9 } from '@/components/brand/Logo'
import { AnalyticsNavLink as AnalyticsNavLink_274ba3c2a93de65c0f81308ced6a7e0d } from '@/components/analytics/AnalyticsNavLink'
import { HomeDashboard as HomeDashboard_3b31cfc5e1aa28f10596b3046f33f8dd } from '@/components/home/HomeDashboard'
import { TenantSelector as TenantSelector_d6d5f193a167989e2ee7d14202901e62 } from '@payloadcms/plugin-multi-tenant/rsc'
import { InboxNavLink as InboxNavLink_39c231fe5f01b82151bc504a6b1a0775 } from '@/components/inbox/InboxNavLink'
import { AssistantNavLink as AssistantNavLink_9f618f05c97cf13d144d202b6251732c } from '@/components/assistant/AssistantNavLink'
import { DesktopNavOpen as DesktopNavOpen_71fd995fe5ce80bd39e14e8b41318b05 } from '@/components/DesktopNavOpen'
import { AccessibleControls as AccessibleControls_6201ec5b5ac84df5e093403a91fb5329 } from '@/components/AccessibleControls'
import { TenantSelectionProvider as TenantSelectionProvider_d6d5f193a167989e2ee7d14202901e62 } from '@payloadcms/plugin-multi-tenant/rsc'
import { AnalyticsView as AnalyticsView_14b64d09bcaefa82063874452b17985e } from '@/components/analytics/AnalyticsView'
import { AssistantView as AssistantView_04c9f3609492cf8558afb4ed9ce01208 } from '@/components/assistant/AssistantView'
import { BookingsCalendarView as BookingsCalendarView_9a004c5552502988f8789c2a1fe1ba29 } from '@/components/bookings/BookingsCalendarView'
import { InboxView as InboxView_f7357d93d0d86567026c45e309504f1a } from '@/components/inbox/InboxView'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "@payloadcms/plugin-multi-tenant/client#TenantField": TenantField_1d0591e3cf4f332c83a86da13a0de59a,
  "@/components/TagsCell#TagsCell": TagsCell_78525ef1f3e15da81b08747eeb4ef6c8,
  "@/components/tags/OrgTagsField#OrgTagsField": OrgTagsField_71c8c9c79f02c45336c389d96e467389,
  "@/components/contact-activity/ContactActivity#ContactActivity": ContactActivity_8cabade67508851400a093023d32e924,
  "@/components/dates/DateCell#DateCell": DateCell_9345af85e7eed70c92d46a4c47ecd1ba,
  "@/components/imports/ListActions#ContactsListActions": ContactsListActions_7cbb6ebadc72306761a7fe42ad6f7932,
  "@/components/ListCountNote#ListCountNote": ListCountNote_1ec5aee0e4890ea91b00ad30f70c1397,
  "@payloadcms/plugin-multi-tenant/client#AssignTenantFieldTrigger": AssignTenantFieldTrigger_1d0591e3cf4f332c83a86da13a0de59a,
  "@/components/segments/SegmentLinks#SegmentLinks": SegmentLinks_13791b6e0f065d2b019376dd95c18c9b,
  "@/components/segments/SegmentBuilder#SegmentBuilder": SegmentBuilder_5d7f6bf3e8ae2227045ecb0f20f8d100,
  "@/components/imports/ImportPanel#ImportPanel": ImportPanel_385c6cc39c60c20e20483d74a32c0512,
  "@/components/dates/DateField#DateField": DateField_290422b7424550070ae96f9d7b5aac6e,
  "@/components/imports/NoSaveButton#NoSaveButton": NoSaveButton_2e76627240611fb5644f865a3b0c65f5,
  "@/components/exports/ExportPanel#ExportPanel": ExportPanel_feb7845503c5df368d2330a9b1141634,
  "@/components/SmsBodyField#SmsBodyField": SmsBodyField_653b549e46627450acc304577687cf71,
  "@/components/status/StatusCell#StatusCell": StatusCell_387144b93774826b8b5fe2a4e296d1f5,
  "@/components/TemplateWorkflow#TemplateWorkflow": TemplateWorkflow_9672196668c120f98d559353cd792b45,
  "@/components/TemplatePreview#TemplatePreview": TemplatePreview_8b991a385e299f1784953745a2a94b47,
  "@/components/engagement/TemplateEngagement#TemplateEngagement": TemplateEngagement_02c3f83c2c2e7744a8295e4792f3a140,
  "@/components/job-detail/JobProgress#JobProgress": JobProgress_c1661effb7cc209853df9561c3c28b56,
  "@/components/engagement/JobEngagement#JobEngagement": JobEngagement_4e5fec4eec76c6e65f84987ca0bdcbdd,
  "@/components/job-detail/JobRecipients#JobRecipients": JobRecipients_c5b80f4cd87d1752c72521c81a340148,
  "@/components/recipient-picker/RecipientPicker#RecipientPicker": RecipientPicker_153ad5de7c665e7c433f5834f0da4e86,
  "@/components/audience/AudienceSummary#AudienceSummary": AudienceSummary_a58d03a48beb82bd57a72c218735f151,
  "@/components/JobActions#JobActions": JobActions_92e9ca178f83e743b7a982eecde0ad48,
  "@/components/JsonView#JsonView": JsonView_1a87ff5e21c49cff7bcbb32027b40f10,
  "@/components/suppressions/SuppressionReview#SuppressionReview": SuppressionReview_af6704db58f35b9c352159ba498af28a,
  "@/components/suppressions/SuppressionsListBar#SuppressionsListBar": SuppressionsListBar_e95a24adae4e9f9a176af1733123185a,
  "@/components/bookings/BookingTimes#BookingTimes": BookingTimes_517812d89b8a49277f273f2102a46ec3,
  "@/components/calendar/BookingSyncState#BookingSyncState": BookingSyncState_e33252adda62168fb813a88183fea988,
  "@/components/bookings/BookingsViewSwitch#BookingsViewSwitch": BookingsViewSwitch_241ff56c2379accf2af65cfe4f76cece,
  "@/components/calendar/ConnectCalendar#ConnectCalendar": ConnectCalendar_b6fba9b38181789e3fa17a51fd83538f,
  "@/components/calendar/SyncProblemsLink#SyncProblemsLink": SyncProblemsLink_ab723aa982e3b0e372d43b067c1c7f2f,
  "@/components/knowledge/ImportArticles#ImportArticles": ImportArticles_c9bff72c4ab8c27618d2d81bbf011ead,
  "@/components/SettingsTestEmail#SettingsTestEmail": SettingsTestEmail_11ca7025e63e2c41e03f6f8e90bb6ad7,
  "@/components/SettingsTestSms#SettingsTestSms": SettingsTestSms_7042cbaa4cc2c53a0cf8333eaa8fabfe,
  "@/components/InboundEmailAddress#InboundEmailAddress": InboundEmailAddress_53ffb21428dfb19a1692e716a295f8a8,
  "@payloadcms/plugin-multi-tenant/client#WatchTenantCollection": WatchTenantCollection_1d0591e3cf4f332c83a86da13a0de59a,
  "@/components/users/InvitationCell#InvitationCell": InvitationCell_d4298fee8f2e6c95da419a9c722bba55,
  "@/components/users/Invitations#Invitations": Invitations_d4d888b996ea29067e4bded5fe09ec1e,
  "@/components/calendar/ReconnectBanner#ReconnectBanner": ReconnectBanner_593ecf453bf0d8ab0a78934c1994ef73,
  "@/components/brand/Logo#Icon": Icon_fdf4cffa73f323c9a668fb9f37e710b9,
  "@/components/brand/Logo#Logo": Logo_fdf4cffa73f323c9a668fb9f37e710b9,
  "@/components/analytics/AnalyticsNavLink#AnalyticsNavLink": AnalyticsNavLink_274ba3c2a93de65c0f81308ced6a7e0d,
  "@/components/home/HomeDashboard#HomeDashboard": HomeDashboard_3b31cfc5e1aa28f10596b3046f33f8dd,
  "@payloadcms/plugin-multi-tenant/rsc#TenantSelector": TenantSelector_d6d5f193a167989e2ee7d14202901e62,
  "@/components/inbox/InboxNavLink#InboxNavLink": InboxNavLink_39c231fe5f01b82151bc504a6b1a0775,
  "@/components/assistant/AssistantNavLink#AssistantNavLink": AssistantNavLink_9f618f05c97cf13d144d202b6251732c,
  "@/components/DesktopNavOpen#DesktopNavOpen": DesktopNavOpen_71fd995fe5ce80bd39e14e8b41318b05,
  "@/components/AccessibleControls#AccessibleControls": AccessibleControls_6201ec5b5ac84df5e093403a91fb5329,
  "@payloadcms/plugin-multi-tenant/rsc#TenantSelectionProvider": TenantSelectionProvider_d6d5f193a167989e2ee7d14202901e62,
  "@/components/analytics/AnalyticsView#AnalyticsView": AnalyticsView_14b64d09bcaefa82063874452b17985e,
  "@/components/assistant/AssistantView#AssistantView": AssistantView_04c9f3609492cf8558afb4ed9ce01208,
  "@/components/bookings/BookingsCalendarView#BookingsCalendarView": BookingsCalendarView_9a004c5552502988f8789c2a1fe1ba29,
  "@/components/inbox/InboxView#InboxView": InboxView_f7357d93d0d86567026c45e309504f1a,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
