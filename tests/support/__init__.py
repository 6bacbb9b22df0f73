"""What tests share that is not a fixture: rows (factories), seed files (seeds), the admin and
the desk through the test client (admin, desk), Chromium (browser), servers and child processes
(services), outside checkers (checkers), and what a test needs from outside Python
(requirements). It imports the product and Django, never a test module, never bench/."""
