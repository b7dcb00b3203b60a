"""Facts about the log itself (its opening, later its sealing and handover)."""
