from . import client_address, http_calls


def post_load():
    """Odoo calls this once per process when it loads the module (manifest ``post_load``).

    With ``--database`` set, the prefork master loads the registry (and so this hook) before it
    forks its workers, so every worker starts with both wrappers in place.
    """
    http_calls.install()
    client_address.install()
