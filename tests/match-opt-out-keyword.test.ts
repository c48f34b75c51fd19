import { describe, expect, it } from 'vitest'

import { DEFAULT_OPT_OUT_KEYWORDS, matchOptOutKeyword } from '@/services/suppressions/match-opt-out-keyword'

type Row = {
  name: string
  channel: 'email' | 'sms'
  text: string
  kind: 'exact' | 'fuzzy' | 'none'
  keyword?: string
  keywords?: readonly string[] | null
}

const CUSTOM = ['ARRET', 'opt out']

const GMAIL_QUOTE = [
  '',
  'On Tue, Mar 4, 2025 at 10:02 AM Outpost Team <hello@outpost.example> wrote:',
  '> Hi Ada,',
  '> Your trial ends on Friday. Want a quick call to go over the reports?',
  '> Not interested? Reply unsubscribe and we will stop emailing you.',
].join('\n')

const OUTLOOK_ORIGINAL = [
  '',
  '-----Original Message-----',
  'From: Outpost Team <hello@outpost.example>',
  'Sent: Monday, March 3, 2025 9:00 AM',
  'To: Ada Lovelace <ada@engines.example>',
  'Subject: Your trial',
  '',
  'Hi Ada, reply "unsubscribe" to stop hearing from us.',
].join('\r\n')

const rows: Row[] = [
  // SMS, default keywords: exact
  { name: 'bare keyword', channel: 'sms', text: 'STOP', kind: 'exact', keyword: 'STOP' },
  { name: 'lower case with spaces and a full stop', channel: 'sms', text: ' stop. ', kind: 'exact', keyword: 'STOP' },
  { name: 'exclamation marks', channel: 'sms', text: 'Stop!!', kind: 'exact', keyword: 'STOP' },
  { name: 'mixed case', channel: 'sms', text: 'sToP', kind: 'exact', keyword: 'STOP' },
  { name: 'straight quotes', channel: 'sms', text: "'STOP'", kind: 'exact', keyword: 'STOP' },
  { name: 'smart quotes', channel: 'sms', text: '\u201cStop\u201d', kind: 'exact', keyword: 'STOP' },
  { name: 'emoji after the keyword', channel: 'sms', text: 'STOP 🛑', kind: 'exact', keyword: 'STOP' },
  { name: 'zero-width space inside', channel: 'sms', text: 'S\u200bTOP', kind: 'exact', keyword: 'STOP' },
  { name: 'full-width letters', channel: 'sms', text: 'ＳＴＯＰ', kind: 'exact', keyword: 'STOP' },
  { name: 'stopall', channel: 'sms', text: 'Stopall', kind: 'exact', keyword: 'STOPALL' },
  { name: 'unsubscribe', channel: 'sms', text: 'Unsubscribe', kind: 'exact', keyword: 'UNSUBSCRIBE' },
  { name: 'cancel', channel: 'sms', text: 'cancel', kind: 'exact', keyword: 'CANCEL' },
  { name: 'end with a full stop', channel: 'sms', text: 'End.', kind: 'exact', keyword: 'END' },
  { name: 'quit on its own line', channel: 'sms', text: '\nQUIT\n', kind: 'exact', keyword: 'QUIT' },
  // SMS, default keywords: fuzzy (keyword among other words)
  { name: 'polite request', channel: 'sms', text: 'Please stop texting me', kind: 'fuzzy', keyword: 'STOP' },
  { name: 'unsubscribe me', channel: 'sms', text: 'unsubscribe me', kind: 'fuzzy', keyword: 'UNSUBSCRIBE' },
  { name: 'STOP ALL as two words', channel: 'sms', text: 'STOP ALL', kind: 'fuzzy', keyword: 'STOP' },
  { name: 'stop sending', channel: 'sms', text: 'stop sending', kind: 'fuzzy', keyword: 'STOP' },
  { name: 'keyword then another sentence', channel: 'sms', text: 'Stop. Wrong number', kind: 'fuzzy', keyword: 'STOP' },
  { name: 'trailing please is not exact', channel: 'sms', text: 'STOP please', kind: 'fuzzy', keyword: 'STOP' },
  { name: 'repeated keyword is not exact', channel: 'sms', text: 'stop stop stop', kind: 'fuzzy', keyword: 'STOP' },
  { name: 'cancel an appointment goes to review', channel: 'sms', text: 'I need to cancel my appointment', kind: 'fuzzy', keyword: 'CANCEL' },
  // SMS, default keywords: fuzzy (misspelling of a single-word reply)
  { name: 'doubled letter', channel: 'sms', text: 'STOPP', kind: 'fuzzy', keyword: 'STOP' },
  { name: 'transposition', channel: 'sms', text: 'Stpo', kind: 'fuzzy', keyword: 'STOP' },
  { name: 'missing r', channel: 'sms', text: 'unsubscibe', kind: 'fuzzy', keyword: 'UNSUBSCRIBE' },
  { name: 'missing s', channel: 'sms', text: 'Unsubcribe!', kind: 'fuzzy', keyword: 'UNSUBSCRIBE' },
  { name: 'two edits on a long keyword', channel: 'sms', text: 'Unsuscrib', kind: 'fuzzy', keyword: 'UNSUBSCRIBE' },
  { name: 'doubled t', channel: 'sms', text: 'Quitt', kind: 'fuzzy', keyword: 'QUIT' },
  // SMS, default keywords: fuzzy (opt-out phrases)
  { name: 'remove me', channel: 'sms', text: 'Remove me from your list', kind: 'fuzzy', keyword: 'remove me' },
  { name: 'take me off', channel: 'sms', text: 'take me off this list pls', kind: 'fuzzy', keyword: 'take me off' },
  { name: 'hyphenated opt-out', channel: 'sms', text: 'Opt-out', kind: 'fuzzy', keyword: 'opt out' },
  { name: 'optout as one word (a default SMS keyword)', channel: 'sms', text: 'optout', kind: 'exact', keyword: 'OPTOUT' },
  { name: 'revoke (a default SMS keyword)', channel: 'sms', text: 'Revoke', kind: 'exact', keyword: 'REVOKE' },
  { name: 'smart apostrophe', channel: 'sms', text: 'Don\u2019t text this number again', kind: 'fuzzy', keyword: "don't text" },
  { name: 'no apostrophe', channel: 'sms', text: 'dont contact me', kind: 'fuzzy', keyword: "don't contact" },
  { name: 'do not call', channel: 'sms', text: 'DO NOT CALL', kind: 'fuzzy', keyword: 'do not call' },
  { name: 'leave me alone', channel: 'sms', text: 'Leave me alone!!!', kind: 'fuzzy', keyword: 'leave me alone' },
  { name: 'not interested', channel: 'sms', text: 'not interested, thanks', kind: 'fuzzy', keyword: 'not interested' },
  { name: 'no more texts', channel: 'sms', text: 'No more texts please 🙏', kind: 'fuzzy', keyword: 'no more texts' },
  // SMS, default keywords: none
  { name: 'keyword inside a longer word', channel: 'sms', text: 'Stopped by your office yesterday', kind: 'none' },
  { name: 'end inside endless', channel: 'sms', text: 'Endless thanks for the help!', kind: 'none' },
  { name: 'substrings only', channel: 'sms', text: 'Happy to endorse it, quite a fair cancellation policy', kind: 'none' },
  { name: 'quite is a word, not a typo', channel: 'sms', text: 'Quite!', kind: 'none' },
  { name: 'step is a word, not a typo', channel: 'sms', text: 'Step', kind: 'none' },
  { name: 'three-letter keyword gets no typo matching', channel: 'sms', text: 'And', kind: 'none' },
  { name: 'bare "no more" is not a phrase', channel: 'sms', text: 'No more questions, see you then', kind: 'none' },
  { name: 'thanks', channel: 'sms', text: 'Thanks!', kind: 'none' },
  { name: 'yes', channel: 'sms', text: 'Yes', kind: 'none' },
  { name: 'question', channel: 'sms', text: 'What time?', kind: 'none' },
  { name: 'empty', channel: 'sms', text: '', kind: 'none' },
  { name: 'whitespace only', channel: 'sms', text: '  \n\t ', kind: 'none' },
  { name: 'emoji only', channel: 'sms', text: '👍🙏🏽', kind: 'none' },
  // Email, default keywords
  { name: 'email: bare unsubscribe', channel: 'email', text: 'Unsubscribe', kind: 'exact', keyword: 'unsubscribe' },
  { name: 'email: unsubscribe above a quoted original', channel: 'email', text: `Unsubscribe${GMAIL_QUOTE}`, kind: 'exact', keyword: 'unsubscribe' },
  { name: 'email: new text is ordinary, quote has unsubscribe', channel: 'email', text: `Thanks, see you Tuesday${GMAIL_QUOTE}`, kind: 'none' },
  {
    name: 'email: attribution wrapped over two lines, unquoted original',
    channel: 'email',
    text: 'Thanks, see you Tuesday\n\nOn Mon, 3 Mar 2025 at 09:00, Outpost Team <\nhello@outpost.example> wrote:\n\nReply unsubscribe to opt out.',
    kind: 'none',
  },
  { name: 'email: Outlook original message, CRLF', channel: 'email', text: `UNSUBSCRIBE.${OUTLOOK_ORIGINAL}`, kind: 'exact', keyword: 'unsubscribe' },
  { name: 'email: Outlook original message, ordinary reply', channel: 'email', text: `Got it, thanks!${OUTLOOK_ORIGINAL}`, kind: 'none' },
  {
    name: 'email: Outlook From: header block without separator',
    channel: 'email',
    text: 'Sounds good.\n\n________________________________\nFrom: Outpost Team <hello@outpost.example>\nSent: Monday\nTo: Ada\n\nunsubscribe',
    kind: 'none',
  },
  {
    name: 'email: From: header block on its own',
    channel: 'email',
    text: 'Sounds good.\n\nFrom: Outpost Team <hello@outpost.example>\nDate: Monday\nSubject: Your trial\n\nunsubscribe',
    kind: 'none',
  },
  { name: 'email: mobile footer', channel: 'email', text: 'unsubscribe\n\nSent from my iPhone', kind: 'exact', keyword: 'unsubscribe' },
  {
    name: 'email: signature delimiter',
    channel: 'email',
    text: 'Unsubscribe\n-- \nAda Lovelace\nStop by anytime!',
    kind: 'exact',
    keyword: 'unsubscribe',
  },
  {
    name: 'email: take me off above Outlook original',
    channel: 'email',
    text: `Please take me off your mailing list.${OUTLOOK_ORIGINAL}`,
    kind: 'fuzzy',
    keyword: 'take me off',
  },
  {
    name: 'email: unsubscribe among other words',
    channel: 'email',
    text: 'Please unsubscribe me from these emails',
    kind: 'fuzzy',
    keyword: 'unsubscribe',
  },
  { name: 'email: subject line passed along', channel: 'email', text: 'Re: Your trial\nunsubscribe', kind: 'fuzzy', keyword: 'unsubscribe' },
  {
    name: 'email: interleaved quotes',
    channel: 'email',
    text: '> Would you like a demo?\nNot interested.\n> Reply unsubscribe to opt out',
    kind: 'fuzzy',
    keyword: 'not interested',
  },
  { name: 'email: stop emailing', channel: 'email', text: 'Stop emailing me.', kind: 'fuzzy', keyword: 'stop emailing' },
  { name: 'email: a short "STOP" is reviewed', channel: 'email', text: 'STOP', kind: 'fuzzy', keyword: 'stop' },
  { name: 'email: misspelt unsubscribe', channel: 'email', text: 'Unsubcribe', kind: 'fuzzy', keyword: 'unsubscribe' },
  { name: 'email: stop/end in prose', channel: 'email', text: 'We will stop by the booth at the end of the day.', kind: 'none' },
  { name: 'email: subscribe is not a typo', channel: 'email', text: 'Subscribe', kind: 'none' },
  // Org-configured keywords replace the defaults
  { name: 'custom: ARRET', channel: 'sms', text: 'ARRET', kind: 'exact', keyword: 'ARRET', keywords: CUSTOM },
  { name: 'custom: accented Arrêt', channel: 'sms', text: 'Arrêt.', kind: 'exact', keyword: 'ARRET', keywords: CUSTOM },
  { name: 'custom: multi-word keyword, hyphenated', channel: 'sms', text: 'Opt-Out', kind: 'exact', keyword: 'opt out', keywords: CUSTOM },
  { name: 'custom: multi-word keyword among words', channel: 'sms', text: 'opt out please', kind: 'fuzzy', keyword: 'opt out', keywords: CUSTOM },
  { name: 'custom: STOP no longer exact, still reviewed', channel: 'sms', text: 'STOP', kind: 'fuzzy', keyword: 'stop', keywords: CUSTOM },
  { name: 'custom: UNSUBSCRIBE no longer exact', channel: 'sms', text: 'UNSUBSCRIBE', kind: 'fuzzy', keyword: 'unsubscribe', keywords: CUSTOM },
  { name: 'custom: misspelt ARRET', channel: 'sms', text: 'arrett', kind: 'fuzzy', keyword: 'ARRET', keywords: CUSTOM },
  { name: 'custom: STOPP not a typo of a custom keyword', channel: 'sms', text: 'STOPP', kind: 'none', keywords: CUSTOM },
  { name: 'custom: ordinary French reply', channel: 'sms', text: 'Merci, à mardi', kind: 'none', keywords: CUSTOM },
  {
    name: 'custom: email keyword matched case-insensitively',
    channel: 'email',
    text: 'REMOVE ME!',
    kind: 'exact',
    keyword: 'Remove Me',
    keywords: ['Remove Me'],
  },
  { name: 'custom: regex characters are literal', channel: 'sms', text: 'axb', kind: 'none', keywords: ['a.b', '(stop)'] },
  {
    name: 'custom: punctuation around a keyword ignored',
    channel: 'sms',
    text: 'stop',
    kind: 'exact',
    keyword: '(stop)',
    keywords: ['a.b', '(stop)'],
  },
  // Empty keyword lists fall back to the channel's defaults
  { name: 'empty list', channel: 'sms', text: 'STOP', kind: 'exact', keyword: 'STOP', keywords: [] },
  { name: 'null list', channel: 'sms', text: 'quit', kind: 'exact', keyword: 'QUIT', keywords: null },
  { name: 'blank keywords only', channel: 'sms', text: 'Cancel', kind: 'exact', keyword: 'CANCEL', keywords: ['', '   '] },
  { name: 'email empty list', channel: 'email', text: 'unsubscribe', kind: 'exact', keyword: 'unsubscribe', keywords: [] },
]

describe('matchOptOutKeyword', () => {
  it('defaults to the standard keywords per channel', () => {
    expect(DEFAULT_OPT_OUT_KEYWORDS.sms).toEqual(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])
    expect(DEFAULT_OPT_OUT_KEYWORDS.email).toEqual(['unsubscribe'])
  })

  it.each(rows)('$channel $name → $kind', ({ channel, text, kind, keyword, keywords }) => {
    const match = matchOptOutKeyword({ text, channel, keywords })
    expect({ kind: match.kind, keyword: match.kind === 'none' ? undefined : match.keyword }).toEqual({ kind, keyword })
    if (match.kind === 'fuzzy') expect(match.reason).toMatch(/^Reply .+"$/)
  })

  it('quotes the normalised reply in the fuzzy reason', () => {
    expect(matchOptOutKeyword({ text: 'Please stop texting me', channel: 'sms' })).toEqual({
      kind: 'fuzzy',
      keyword: 'STOP',
      reason: 'Reply contains "stop" among other words: "please stop texting me"',
    })
    expect(matchOptOutKeyword({ text: 'Take me  off\nyour list 🙏', channel: 'sms' })).toEqual({
      kind: 'fuzzy',
      keyword: 'take me off',
      reason: 'Reply contains the opt-out phrase "take me off": "take me off your list"',
    })
    expect(matchOptOutKeyword({ text: 'Stpo', channel: 'sms' })).toEqual({
      kind: 'fuzzy',
      keyword: 'STOP',
      reason: 'Reply "stpo" looks like a misspelling of "stop"',
    })
  })

  it('keeps the quoted excerpt short and around the match in a long reply', () => {
    const filler = 'We really enjoyed the webinar last week and shared the recording with our whole team, '
    const match = matchOptOutKeyword({ text: `${filler.repeat(3)}but please unsubscribe me from the newsletter. ${filler}`, channel: 'email' })
    if (match.kind !== 'fuzzy') throw new Error(`expected fuzzy, got ${match.kind}`)
    const quote = /: "(.*)"$/.exec(match.reason)?.[1] ?? ''
    expect(quote.length).toBeLessThanOrEqual(82)
    expect(quote).toMatch(/^….*please unsubscribe me from the newsletter.*…$/)
  })
})
