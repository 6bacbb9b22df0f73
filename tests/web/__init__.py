"""Reader pages, feeds, the sitemap and share images through Django's test client."""
