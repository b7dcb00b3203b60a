"""Pure domain model: commands, events, state and decisions per area. No I/O, no frameworks."""
