"""Roll calls: counts per location against the expected population, recounts, resolution."""
