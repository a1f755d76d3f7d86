"""People and organisation: the user model, departments, line management, roles."""
