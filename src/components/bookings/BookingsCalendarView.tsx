import type { AdminViewServerProps } from 'payload'
import React from 'react'

import { AdminPage } from '../AdminPage'
import { BookingsCalendar } from './BookingsCalendar'

/** `/admin/calendar`: the week and agenda views of an organisation's bookings; the agenda endpoint applies the user's access. */
export const BookingsCalendarView = (props: AdminViewServerProps) => (
  <AdminPage {...props} path="/calendar" viewType="bookingsCalendar">
    <BookingsCalendar />
  </AdminPage>
)
