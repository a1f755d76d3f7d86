"""Signals other apps listen to, so the base layer never imports them.

``staff_list_changed`` is sent once the staff import has been applied and
committed: training uses it to assign courses to new starters and people
who moved department straight away, rather than at the nightly run.
"""

from django.dispatch import Signal

# Sent with ``staff_import`` (the applied StaffImport).
staff_list_changed = Signal()
