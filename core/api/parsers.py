from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.http.limits import MAX_JSON_DEPTH, json_depth


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested more than ``MAX_JSON_DEPTH`` levels with a
    400 that says so, instead of a ``RecursionError`` (a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels.")
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise too_deep
        return data
