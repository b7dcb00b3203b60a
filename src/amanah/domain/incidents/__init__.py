"""Incidents: attacks on the perimeter, breaches, escapes, riots, fires, injuries, deaths,
the loss of water, power, fuel or communications. Reported once; added to by addenda,
never edited; reviewed, closed and reopened."""
