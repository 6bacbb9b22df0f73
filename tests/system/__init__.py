"""Child processes, real servers and services (gunicorn, Redis, PostgreSQL, an S3 store) and the
production profile."""
