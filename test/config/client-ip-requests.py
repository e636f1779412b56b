"""Sends requests through the influencegen_signals addon's client-address wrapper; prints what Odoo saw.

    python3 test/config/client-ip-requests.py < requests.json

Reads a JSON list of requests ``{"environ": {...}, "proxyMode": bool}`` on standard input and prints a
JSON list, one result per request: ``seen`` (the ``REMOTE_ADDR`` the Odoo application read),
``original`` (the ALB node's address the addon kept aside, or null) and ``error`` (an exception's
class name, or null).

Loads ``client_address.py`` as a module of the addon package without running the package's
``__init__`` (which imports Odoo), and installs it with ``client_address.install`` on a stand-in for
``odoo.http.Application`` whose ``__call__`` does what Odoo 18's does with the address: when
``proxy_mode`` is on and ``X-Forwarded-Host`` is present it applies werkzeug's ProxyFix with
``x_for=1``, which takes the last ``X-Forwarded-For`` value (``values[-trusted]``), and then reads
``REMOTE_ADDR``. The wrapper is installed twice, to show the second install changes nothing.

With ``--via-hook`` it is installed as Odoo installs it instead: stand-in ``odoo.http`` (holding the
application class and a ``root`` instance made before any module loads, as Odoo's servers hold it),
``odoo.tools.config`` and ``requests`` modules are registered, and the addon's manifest hook
(``hooks.post_load``) is called twice; the requests then go to that earlier ``root``, and
``proxy_mode`` is read from the stand-in ``odoo.tools.config``.
"""

import importlib
import json
import pathlib
import sys
import types

sys.dont_write_bytecode = True  # leave no __pycache__ in the addon's folder

ADDON = pathlib.Path(__file__).resolve().parents[2] / "platform" / "odoo" / "addons" / "influencegen_signals"

package = types.ModuleType("influencegen_signals")
package.__path__ = [str(ADDON)]
sys.modules["influencegen_signals"] = package
client_address = importlib.import_module("influencegen_signals.client_address")

# Odoo's ``odoo.tools.config``: only the key the address logic reads.
CONFIG = {"proxy_mode": False}


class OdooApplication:
    """What Odoo 18's ``Application.__call__`` does with the client address, and nothing else."""

    def __call__(self, environ, start_response):
        if CONFIG["proxy_mode"] and environ.get("HTTP_X_FORWARDED_HOST"):
            forwarded = environ.get("HTTP_X_FORWARDED_FOR")
            if forwarded:
                environ["REMOTE_ADDR"] = forwarded.split(",")[-1].strip()
        start_response("200 OK", [])
        return [environ.get("REMOTE_ADDR")]


def install_via_hook():
    """Registers stand-ins for what the hook imports, runs it twice; returns the earlier ``root``."""
    odoo = types.ModuleType("odoo")
    odoo.http = types.ModuleType("odoo.http")
    odoo.http.Application = OdooApplication
    odoo.http.root = OdooApplication()
    odoo.tools = types.ModuleType("odoo.tools")
    odoo.tools.config = CONFIG
    requests = types.ModuleType("requests")
    requests.Session = type("Session", (), {"send": lambda self, request, **kwargs: None})
    sys.modules.update({"odoo": odoo, "odoo.http": odoo.http, "odoo.tools": odoo.tools, "requests": requests})
    hooks = importlib.import_module("influencegen_signals.hooks")
    hooks.post_load()
    hooks.post_load()
    return odoo.http.root


if "--via-hook" in sys.argv[1:]:
    root = install_via_hook()
    # False: the hook already wrapped the class, so nothing is left to wrap.
    installs = [client_address.install()]
else:
    root = OdooApplication()
    installs = [
        client_address.install(OdooApplication, proxy_mode=lambda: CONFIG["proxy_mode"]),
        client_address.install(OdooApplication, proxy_mode=lambda: CONFIG["proxy_mode"]),
    ]

results = []
for request in json.load(sys.stdin):
    CONFIG["proxy_mode"] = request["proxyMode"]
    environ = dict(request["environ"])
    try:
        (seen,) = root(environ, lambda status, headers: None)
        error = None
    except Exception as exc:  # reported, so the test names the case that crashed
        seen, error = None, type(exc).__name__
    results.append({"seen": seen, "original": environ.get(client_address.ORIGINAL_REMOTE_ADDR), "error": error})

json.dump({"installs": installs, "results": results}, sys.stdout)
