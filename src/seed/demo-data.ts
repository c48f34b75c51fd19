/** Deterministic, realistic-looking demo contacts (no randomness: reseeding yields the same rows). */
const FIRST = [
  'Amara', 'Ben', 'Chloé', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiroshi', 'Ines', 'Jonas',
  'Kavya', 'Liam', 'Maya', 'Noah', 'Olivia', 'Pavel', 'Quinn', 'Rosa', 'Samir', 'Tara',
  'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf',
]
const LAST = [
  'Okafor', 'Schmidt', 'Dubois', 'Ivanov', 'García', 'Haddad', 'Nguyen', 'Tanaka', 'Silva', 'Berg',
  'Iyer', 'Murphy', 'Cohen', 'Walker', 'Rossi', 'Novak', 'Kim', 'Lopez', 'Aziz', 'Patel',
]
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com']
const TAGS = ['newsletter', 'volunteer', 'donor', 'press', 'partner', 'event-2026']

const ascii = (value: string) => value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()

export type DemoContact = { email: string; firstName: string; lastName: string; phone: string; tags: string[] }

export const demoContacts = (count: number, offset = 0): DemoContact[] =>
  Array.from({ length: count }, (_, index) => {
    const i = index + offset
    const firstName = FIRST[i % FIRST.length]!
    const lastName = LAST[(i * 7) % LAST.length]!
    const domain = DOMAINS[i % DOMAINS.length]!
    return {
      firstName,
      lastName,
      email: `${ascii(firstName)}.${ascii(lastName)}${i >= FIRST.length ? i : ''}@${domain}`,
      phone: `+44 20 7946 ${String(1000 + i).padStart(4, '0')}`,
      tags: [TAGS[i % TAGS.length]!, ...(i % 3 === 0 ? [TAGS[(i + 2) % TAGS.length]!] : [])],
    }
  })
