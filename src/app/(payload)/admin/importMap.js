import { TenantField as TenantField_1d0591e3cf4f332c83a86da13a0de59a } from '@payloadcms/plugin-multi-tenant/client'
import { TagsCell as TagsCell_78525ef1f3e15da81b08747eeb4ef6c8 } from '@/components/TagsCell'
import { AssignTenantFieldTrigger as AssignTenantFieldTrigger_1d0591e3cf4f332c83a86da13a0de59a } from '@payloadcms/plugin-multi-tenant/client'
import { TemplateWorkflow as TemplateWorkflow_9672196668c120f98d559353cd792b45 } from '@/components/TemplateWorkflow'
import { TemplatePreview as TemplatePreview_8b991a385e299f1784953745a2a94b47 } from '@/components/TemplatePreview'
import { JobActions as JobActions_92e9ca178f83e743b7a982eecde0ad48 } from '@/components/JobActions'
import { WatchTenantCollection as WatchTenantCollection_1d0591e3cf4f332c83a86da13a0de59a } from '@payloadcms/plugin-multi-tenant/client'
import { Icon as Icon_fdf4cffa73f323c9a668fb9f37e710b9 } from '@/components/brand/Logo'
import { Logo as Logo_fdf4cffa73f323c9a668fb9f37e710b9 } from '@/components/brand/Logo'
import { TenantSelector as TenantSelector_d6d5f193a167989e2ee7d14202901e62 } from '@payloadcms/plugin-multi-tenant/rsc'
import { TenantSelectionProvider as TenantSelectionProvider_d6d5f193a167989e2ee7d14202901e62 } from '@payloadcms/plugin-multi-tenant/rsc'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "@payloadcms/plugin-multi-tenant/client#TenantField": TenantField_1d0591e3cf4f332c83a86da13a0de59a,
  "@/components/TagsCell#TagsCell": TagsCell_78525ef1f3e15da81b08747eeb4ef6c8,
  "@payloadcms/plugin-multi-tenant/client#AssignTenantFieldTrigger": AssignTenantFieldTrigger_1d0591e3cf4f332c83a86da13a0de59a,
  "@/components/TemplateWorkflow#TemplateWorkflow": TemplateWorkflow_9672196668c120f98d559353cd792b45,
  "@/components/TemplatePreview#TemplatePreview": TemplatePreview_8b991a385e299f1784953745a2a94b47,
  "@/components/JobActions#JobActions": JobActions_92e9ca178f83e743b7a982eecde0ad48,
  "@payloadcms/plugin-multi-tenant/client#WatchTenantCollection": WatchTenantCollection_1d0591e3cf4f332c83a86da13a0de59a,
  "@/components/brand/Logo#Icon": Icon_fdf4cffa73f323c9a668fb9f37e710b9,
  "@/components/brand/Logo#Logo": Logo_fdf4cffa73f323c9a668fb9f37e710b9,
  "@payloadcms/plugin-multi-tenant/rsc#TenantSelector": TenantSelector_d6d5f193a167989e2ee7d14202901e62,
  "@payloadcms/plugin-multi-tenant/rsc#TenantSelectionProvider": TenantSelectionProvider_d6d5f193a167989e2ee7d14202901e62,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
