'use client'
import React from 'react'

import { type Inline, parseAnswer } from './answer-text'
import type { AssistantSource } from './types'

export const articleHref = (adminRoute: string, articleID: number) => `${adminRoute}/collections/kb-articles/${articleID}`

/** The answer as paragraphs, quotes, bold and citation links: React elements only, never HTML from the text. */
export const AnswerText = ({ text, sources, adminRoute }: { text: string; sources: AssistantSource[]; adminRoute: string }) => {
  const byNumber = new Map(sources.map((s) => [s.n, s]))
  const inline = (pieces: Inline[]) =>
    pieces.map((piece, i) => {
      if (piece.kind === 'text') return <React.Fragment key={i}>{piece.text}</React.Fragment>
      if (piece.kind === 'strong') return <strong key={i}>{piece.text}</strong>
      const source = byNumber.get(piece.n)
      if (!source) return <React.Fragment key={i}>[{piece.n}]</React.Fragment>
      return (
        <sup className="assistant__cite" key={i}>
          <a aria-label={`Source ${piece.n}: ${source.title}`} data-testid={`citation-${piece.n}`} href={articleHref(adminRoute, source.articleID)} title={source.title}>
            [{piece.n}]
          </a>
        </sup>
      )
    })
  const lines = (rows: Inline[][]) => rows.map((row, i) => <React.Fragment key={i}>{i > 0 && <br />}{inline(row)}</React.Fragment>)
  return (
    <div className="assistant__text">
      {parseAnswer(text).map((block, i) =>
        block.kind === 'quote' ? <blockquote key={i}>{lines(block.lines)}</blockquote> : <p key={i}>{lines(block.lines)}</p>,
      )}
    </div>
  )
}
