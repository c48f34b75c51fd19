/** The placeholders a template may use. Every one is filled for every recipient (empty when unknown). */
export const TEMPLATE_VARIABLES = {
  first_name: "Contact's first name",
  last_name: "Contact's last name",
  full_name: "Contact's first and last name",
  email: "Contact's email address",
  phone: "Contact's phone number",
  org_name: "Your organisation's name",
  org_postal_address: "Your organisation's postal address",
  unsubscribe_link: 'One-click unsubscribe URL for this recipient (required in body or footer)',
  opt_out_line: "Your organisation's SMS opt-out line, e.g. Reply STOP to opt out (required in SMS templates)",
} as const

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES
export type TemplateVariables = Record<TemplateVariable, string>

export const isTemplateVariable = (name: string): name is TemplateVariable => Object.hasOwn(TEMPLATE_VARIABLES, name)

type ContactLike = { email?: null | string; firstName?: null | string; lastName?: null | string; phone?: null | string }
type OrgLike = { name?: null | string; postalAddress?: null | string; sms?: null | { optOutLine?: null | string } }

/** What an SMS says when the org has not written its own opt-out line. */
export const DEFAULT_OPT_OUT_LINE = 'Reply STOP to opt out'

export const buildTemplateVariables = ({
  contact,
  org,
  unsubscribeUrl,
}: {
  contact: ContactLike
  org: OrgLike
  unsubscribeUrl: string
}): TemplateVariables => {
  const first = contact.firstName?.trim() ?? ''
  const last = contact.lastName?.trim() ?? ''
  return {
    first_name: first,
    last_name: last,
    full_name: [first, last].filter(Boolean).join(' '),
    email: contact.email ?? '',
    phone: contact.phone ?? '',
    org_name: org.name ?? '',
    org_postal_address: org.postalAddress?.trim() ?? '',
    unsubscribe_link: unsubscribeUrl,
    opt_out_line: org.sms?.optOutLine?.trim() || DEFAULT_OPT_OUT_LINE,
  }
}

/** The contact shown when a template is previewed without choosing one. */
export const SAMPLE_CONTACT: ContactLike = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada.lovelace@example.com',
  phone: '+44 20 7946 0000',
}
