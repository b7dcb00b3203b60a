"""The JSON API under ``/api/v1``: the services over HTTP, with one error shape.

Handlers parse, call a service, and return its result; every rule lives in the services and
the domain. Errors become :func:`amanah.api.errors.error_response` in one place.
"""
