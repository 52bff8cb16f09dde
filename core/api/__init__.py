"""Plumbing the REST API's viewsets share: lookups, permissions, filters, pagination,
throttling, errors and schema generation. Each app's ``api`` package builds on it."""
