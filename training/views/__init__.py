"""Training pages: learning (staff and managers), assignments (HR), certificates, support levels."""
