"""How much one request or import may hold. The numbers live here so that the public
search, the admin's search and the API's ``?search=`` agree, and the API and the importer
refuse the same JSON; the request-size defaults are settings (``MAX_URL_BYTES``,
``MAX_REQUEST_BODY_BYTES``, see core.middleware)."""

# Words of a search that are used, and its length in characters. Each word is one more
# condition over every searched field: a thousand words make a query SQLite refuses and
# PostgreSQL works on for seconds.
MAX_SEARCH_WORDS = 12
MAX_SEARCH_CHARS = 200

# Path and query of a request. gunicorn reads request lines of at most 8,190 bytes
# (``limit_request_line`` in gunicorn.conf.py, its maximum): this stays below that, method
# and protocol included, so that a long address gets the site's own 414.
MAX_URL_BYTES = 8000
MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024

# Far deeper than any JSON we take (an API body with authors and their affiliations is
# four levels, a scholarly API's record under ten); deeper input (``[[[[…]]]]``) ends in a
# RecursionError, in the decoder or in the code that walks the data.
MAX_JSON_DEPTH = 64


def json_depth(value):
    """How deeply ``value`` (decoded JSON) nests lists and objects; without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest
