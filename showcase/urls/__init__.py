"""The public site's URLconfs, one per URL prefix (``config/urls.py`` includes them):
``site`` (``/``, ``/search/``), ``people`` (``/people/``), ``publications``
(``/publications/``), ``topics`` (``/topics/``) and ``media`` (``/media/``). Each
namespace is named after its prefix; the views come from the app that owns the page
(a page composing several apps from ``showcase.views``)."""
