"""What members announces to the apps above it (they listen; members knows none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that starts a membership (an approved application), with `membership`.
membership_started = Signal()
