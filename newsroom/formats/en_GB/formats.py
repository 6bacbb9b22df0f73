"""Dates and times as editors type them in the admin: ISO first (2026-12-01 14:30), so a date
typed that way, or picked from the calendar, is shown back the same way. British day-first
dates are still understood. Only what differs from Django's en_GB formats is here."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
