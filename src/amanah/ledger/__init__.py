"""The custody ledger: an append-only, signed, verifiable transparency log.

Pure Python (standard library + PyNaCl). Modules follow the public transparency-log
specifications they implement; each docstring cites its spec.
"""
