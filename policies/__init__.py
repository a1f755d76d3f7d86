"""Policies and guidance: versioned documents, approval, acknowledgements and playbooks."""
