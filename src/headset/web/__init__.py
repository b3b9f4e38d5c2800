"""The browser UI: server-rendered pages (Jinja2), static ES modules, translations.

Pages call the same route functions as the JSON API, so permissions and validation live in one
place; forms submit to the JSON API through `static/js/forms.js`. See docs/web.md.
"""
