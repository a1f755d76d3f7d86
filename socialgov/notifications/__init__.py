"""Reminders and notifications: one engine for every source of "something is due".

Apps declare sources (``registry.register``); the engine turns what is due into
one digest email per person per working day, in-app notifications, escalations
to line managers, and urgent messages that go at once. Every message is an
outbox row before it is sent.
"""
