"""The domain and pure code: models, imports, seeds, stories, search queries; the database
allowed, no HTTP."""
