from . import http_calls


def post_load():
    """Odoo calls this once per process when it loads the module (manifest ``post_load``)."""
    http_calls.install()
