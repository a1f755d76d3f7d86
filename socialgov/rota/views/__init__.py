"""The rota's pages: the rota and who is on call (everyone), shifts and settings (comms leads and administrators),
swaps (the people involved), a person's own shifts and calendar link, and the calendar feed itself."""
