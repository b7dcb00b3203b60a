"""The register: facilities, the location tree, and every person inside (Mandela Rule 7)."""
