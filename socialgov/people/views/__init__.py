"""People views: the directory and team pages, and the staff import."""
