"""What Django's debug pages may show: not credentials.

Django hides settings and request variables whose names look secret (KEY, PASSWORD, TOKEN, ...).
Connection URLs carry passwords under other names (CACHE_URL, DATABASE_URL, a cache's LOCATION,
and in runserver every environment variable is in the request's META), so any value that is a
URL with a user or password in it, or a connection string with `password=`, is hidden too,
whatever its name. The same goes for the local variables of every traceback frame, which Django
shows unfiltered with DEBUG on (a database that cannot be reached puts its password there).
"""

import re

from django.views.debug import SafeExceptionReporterFilter

_CREDENTIALS = re.compile(r"[a-z][a-z0-9+.-]*://[^/@\s]*@|password\s*=", re.IGNORECASE)


class CredentialsFilter(SafeExceptionReporterFilter):
    def cleanse_setting(self, key, value):
        if isinstance(value, str) and _CREDENTIALS.search(str(value)):
            return self.cleansed_substitute
        return super().cleanse_setting(key, value)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleanse_setting(name, value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
