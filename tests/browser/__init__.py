"""The site, the admin and the desk in Debian's Chromium through Playwright (marker `browser`)."""
