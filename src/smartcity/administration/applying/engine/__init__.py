"""The form engine: a service's form (docs/administration.md#forms) read into fields,
rendered as accessible HTML, parsed from a POST into typed data and validated with
jsonschema. Plain Python, no Django forms and no HTTP: the views are a thin adapter.

- ``fields.load(form)`` reads the form into a :class:`fields.Form` of steps and fields
- ``render.step(...)`` the HTML of one step, ``render.error_summary(...)`` its summary
- ``parse.step(...)`` a POST's values into typed data, with the errors of reading them
- ``validate.step(...)`` and ``validate.whole(...)``: errors by field path, in German
"""
