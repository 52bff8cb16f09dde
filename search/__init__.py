"""Site search: query parsing, one backend per database, ranking, snippets and results.

It imports no content app: each one declares what of it is searchable (``register()`` in
``search.registry``), from its ``search_kinds`` module, imported in its ``ready()``.
"""
