"""What Django's debug pages may show: not credentials.

Django hides settings and request variables whose names look secret (KEY, PASSWORD, TOKEN, ...).
Connection URLs carry passwords under other names (CACHE_URL, DATABASE_URL, a cache's LOCATION,
and in runserver every environment variable is in the request's META), so any value that is a
URL with a user or password in it is hidden too, whatever its name.
"""

import re

from django.views.debug import SafeExceptionReporterFilter

_URL_WITH_CREDENTIALS = re.compile(r"[a-z][a-z0-9+.-]*://[^/@\s]*@", re.IGNORECASE)


class CredentialsFilter(SafeExceptionReporterFilter):
    def cleanse_setting(self, key, value):
        if isinstance(value, str) and _URL_WITH_CREDENTIALS.search(str(value)):
            return self.cleansed_substitute
        return super().cleanse_setting(key, value)
