"""The admin, its login and the review desk through Django's test client, in every role."""
