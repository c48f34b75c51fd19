'use client'
import { useFormFields } from '@payloadcms/ui'
import React from 'react'

import { describeBookingTime } from '@/services/bookings/build-invitation-email'
import { isTimeZone } from '@/services/vocabulary/dates'

import { useDates } from '../dates/DateTime'

/**
 * Under a booking's times: when it is in the booking's own zone and in the viewer's (their account's or
 * organisation's), so a booking made for another zone reads right for everyone. The pickers above use
 * the browser's clock, as Payload's date fields do.
 */
export const BookingTimes = () => {
  const [start, end, zone, org] = useFormFields(([fields]) => [fields.start?.value, fields.end?.value, fields.timeZone?.value, fields.org?.value])
  const { settingsFor } = useDates()
  const viewer = settingsFor(org)
  if (!start || !end) return null
  const from = new Date(start as string)
  const to = new Date(end as string)
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) return null
  const own = typeof zone === 'string' && isTimeZone(zone) ? zone : viewer.timeZone
  return (
    <p className="field-description" data-testid="booking-times" style={{ marginTop: '-0.5rem' }}>
      In the booking’s zone: {describeBookingTime(from, to, own, viewer.locale)}
      {own !== viewer.timeZone ? <> · in yours: {describeBookingTime(from, to, viewer.timeZone, viewer.locale)}</> : null}
    </p>
  )
}
