"""The web dashboard and JSON API (layer 7): ``dyadwatch.web.app.create_app(settings)``.

Routes parse and validate parameters, call one context builder of :mod:`dyadwatch.views`
(through the app's caches) and render a Jinja template or the same context as JSON.
"""
