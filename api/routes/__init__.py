"""HTTP routes, one module per area; :func:`regkg.api.app.create_app` includes them all."""
