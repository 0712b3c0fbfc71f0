"""The report pages: the child's dashboard and its downloads (PDF, CSV, JSON)."""
