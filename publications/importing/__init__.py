"""Importing papers: one parser per format, one record type, one merge step.

``service.import_papers`` is the entry point for the command and the admin page.
"""
