"""Movements of people: cell moves, absences, transfers, release, death, escape, recapture."""
