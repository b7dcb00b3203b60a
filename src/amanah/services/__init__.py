"""Use cases: load state, decide, append to the ledger, project, commit. One write path."""
