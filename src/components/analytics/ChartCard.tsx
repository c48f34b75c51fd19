import React from 'react'

type Props = {
  id: string
  title: string
  description?: React.ReactNode
  /** A short sentence instead of an empty axis. */
  empty?: null | string
  wide?: boolean
  children?: React.ReactNode
}

/** One chart with its title (the figure's accessible name) and either the chart or a sentence saying why there is none. */
export const ChartCard = ({ id, title, description, empty, wide, children }: Props) => (
  <figure className={`analytics__card${wide ? ' analytics__card--wide' : ''}`} data-empty={empty ? 'true' : 'false'} data-testid={`chart-${id}`}>
    <figcaption className="analytics__card-head">
      <h3 className="analytics__card-title" id={`analytics-${id}-title`}>
        {title}
      </h3>
      {description && <div className="analytics__muted">{description}</div>}
    </figcaption>
    {empty ? <p className="analytics__chart-empty">{empty}</p> : <div className="analytics__chart">{children}</div>}
  </figure>
)
