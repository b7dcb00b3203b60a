"""Accounts, roles and the access log: who may do what, and a record of who looked."""
