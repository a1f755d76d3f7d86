"""Signals the apps above policies listen to, so policies never imports them.

``acknowledgement_recorded`` is sent once an acknowledgement (or an
exemption) has been committed: training uses it to grant the posting licence
the moment the policy was the last thing missing.
"""

from django.dispatch import Signal

# Sent with ``acknowledgement`` (the new Acknowledgement).
acknowledgement_recorded = Signal()
