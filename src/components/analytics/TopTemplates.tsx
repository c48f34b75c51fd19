'use client'
import React from 'react'

import { ChartCard } from './ChartCard'
import { formatCount, formatRate } from './format'
import type { TopTemplate } from './types'

type Props = { templates: TopTemplate[]; orgNames: Map<number, string>; showOrg: boolean; adminRoute: string }

const RateCell = ({ value, label }: { value: null | number; label: string }) => (
  <td className="analytics__num">
    <span className="analytics__rate-cell">
      <span aria-hidden className="analytics__rate-bar">
        <span style={{ width: `${Math.min(100, Math.max(0, (value ?? 0) * 100))}%` }} />
      </span>
      <span aria-label={`${label} ${formatRate(value)}`}>{formatRate(value)}</span>
    </span>
  </td>
)

/** The templates whose messages were opened most, with their delivery and complaints, each linking to the template. */
export const TopTemplates = ({ templates, orgNames, showOrg, adminRoute }: Props) => (
  <ChartCard
    description="By unique open rate, then delivered. Rates are per delivered message."
    empty={templates.length === 0 ? 'No template had a message delivered in this range.' : null}
    id="top-templates"
    title="Top templates by engagement"
    wide
  >
    <div className="analytics__table-wrap">
      <table aria-labelledby="analytics-top-templates-title" className="analytics__table">
        <thead>
          <tr>
            <th scope="col">Template</th>
            {showOrg && <th scope="col">Organisation</th>}
            <th className="analytics__num" scope="col">Sent</th>
            <th className="analytics__num" scope="col">Delivered</th>
            <th className="analytics__num" scope="col">Open rate</th>
            <th className="analytics__num" scope="col">Click rate</th>
            <th className="analytics__num" scope="col">Complaints</th>
            <th className="analytics__num" scope="col">Bounces</th>
          </tr>
        </thead>
        <tbody>
          {templates.map((t) => (
            <tr data-testid={`top-template-${t.template}`} key={`${t.org}-${t.template}`}>
              <td>
                <a className="analytics__link" href={`${adminRoute}/collections/email-templates/${t.template}`}>
                  {t.name || `Template ${t.template}`}
                </a>
              </td>
              {showOrg && <td>{orgNames.get(t.org) ?? `Org ${t.org}`}</td>}
              <td className="analytics__num">{formatCount(t.sent)}</td>
              <td className="analytics__num">{formatCount(t.delivered)}</td>
              <RateCell label="Open rate" value={t.openRate} />
              <RateCell label="Click rate" value={t.clickRate} />
              <td className={`analytics__num${t.complaints > 0 ? ' analytics__text--error' : ''}`}>{formatCount(t.complaints)}</td>
              <td className="analytics__num">{formatCount(t.bounces)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </ChartCard>
)
