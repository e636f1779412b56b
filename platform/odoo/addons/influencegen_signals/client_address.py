"""The client's address behind the AWS Application Load Balancer, as every request's ``REMOTE_ADDR``.

Why this exists: Odoo 18 trusts the ``X-Forwarded-*`` headers only when ``proxy_mode`` is on AND the
request carries ``X-Forwarded-Host`` (``odoo/http.py``, ``Application.__call__``: ``if
odoo.tools.config['proxy_mode'] and environ.get("HTTP_X_FORWARDED_HOST"): ProxyFix(fake_app)(...)``,
with ``ProxyFix = partial(ProxyFix_, x_for=1, x_proto=1, x_host=1)``). The ALB in front of Odoo sends
``X-Forwarded-For``, ``-Proto`` and ``-Port`` but never ``X-Forwarded-Host`` (AWS, "HTTP headers and
Application Load Balancers"), so without this module ``REMOTE_ADDR`` stays the private address of
the ALB node that opened the connection. Odoo's own ``Login failed for db:... from <ip>`` line,
its session/device records and this addon's ``login_failed`` line all read ``REMOTE_ADDR``, and the
brute-force alarm and the edge-block detector key on it: they could not see an attacker.

What is trusted: exactly one hop, the ALB. In its default ``append`` mode the ALB adds the address
it saw to the end of ``X-Forwarded-For``; anything before that entry came from the client and can
be forged. So the LAST entry is taken, the same entry werkzeug's ProxyFix takes with ``x_for=1``
(``values[-trusted]``), i.e. what Odoo itself would have used had the header check passed.

When nothing is changed (the request keeps the address Odoo would have used):
- ``proxy_mode`` is off (the server is not behind a proxy; the headers are the client's own);
- ``X-Forwarded-Host`` is present: Odoo applies its own ProxyFix to this request, with the same
  one-hop rule, so the two never both rewrite one request;
- no ``X-Forwarded-For`` (the ALB's health checks, a call from inside the VPC);
- the connection's peer is a globally routable address (Python's ``is_global``): the tasks have no
  public address and only the ALB reaches them, so such a peer did not come through it and its
  header is not the ALB's (ALB nodes have addresses of the VPC: RFC 1918, or 100.64.0.0/10);
- the last entry is not an IP address: garbage is ignored, never an error, and never becomes the
  address (werkzeug's ProxyFix would copy any text into ``REMOTE_ADDR``, which is why this module
  parses the entry itself instead of adding ``X-Forwarded-Host`` to make Odoo run its ProxyFix; that
  would also switch ``wsgi.url_scheme`` by ``X-Forwarded-Proto``, a change this module does not make).

Pure Python (standard library only); ``install`` imports ``odoo`` only when given no stand-in, so the
control plane's tests run this file with a plain ``python3``.
"""

import ipaddress
import logging

_logger = logging.getLogger(__name__)

_PATCHED_ATTRIBUTE = "_influencegen_signals_client_address"

# Where the replaced value is kept, so the ALB node's address is still visible to whoever debugs.
ORIGINAL_REMOTE_ADDR = "influencegen_signals.alb_remote_addr"


def parse_address(text):
    """The IP address in one ``X-Forwarded-For`` entry, normalised, or None.

    Also accepts ``1.2.3.4:5678`` and ``[2001:db8::1]:5678``: the ALB writes the client's port too
    when its ``routing.http.xff_client_port.enabled`` attribute is on.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    candidates = [text]
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
        if port.isdigit():
            candidates.append(host)
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
        if port.isdigit():
            candidates.append(host)
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def alb_client_address(environ, proxy_mode):
    """The client address the ALB appended to ``X-Forwarded-For``, or None to leave the request as is."""
    if not proxy_mode or environ.get("HTTP_X_FORWARDED_HOST"):
        return None
    forwarded = environ.get("HTTP_X_FORWARDED_FOR")
    if not isinstance(forwarded, str) or not forwarded.strip():
        return None
    peer = parse_address(environ.get("REMOTE_ADDR"))
    if peer is None or ipaddress.ip_address(peer).is_global:
        return None
    # A WSGI server joins repeated headers with commas, so the last entry is still the ALB's.
    return parse_address(forwarded.split(",")[-1])


def apply(environ, proxy_mode):
    """Sets ``REMOTE_ADDR`` to the ALB-appended client address; returns whether it changed anything."""
    address = alb_client_address(environ, proxy_mode)
    if address is None:
        return False
    environ[ORIGINAL_REMOTE_ADDR] = environ.get("REMOTE_ADDR")
    environ["REMOTE_ADDR"] = address
    return True


def install(application_class=None, proxy_mode=None):
    """Wraps ``odoo.http.Application.__call__``; a second call does nothing. Returns whether it wrapped.

    The class, not ``odoo.http.root``, is patched: the HTTP servers (prefork workers, the threaded
    server, the gevent server) hold a reference to the ``root`` instance taken before modules load,
    and a method looked up on the class reaches that instance too. The rewrite happens before Odoo's
    own code reads the environ, so every consumer of the request sees the same address.
    ``proxy_mode`` is read on each request (a callable), as Odoo reads its config on each request.
    """
    if application_class is None:
        from odoo.http import Application as application_class  # noqa: PLC0415 (Odoo only at runtime)
    if proxy_mode is None:
        from odoo.tools import config  # noqa: PLC0415

        def proxy_mode():
            return config["proxy_mode"]

    original = application_class.__call__
    if getattr(original, _PATCHED_ATTRIBUTE, False):
        return False

    def __call__(self, environ, start_response):
        try:
            apply(environ, proxy_mode())
        except Exception:
            # The address is for logs and alarms: a bug here must never turn into a failed request.
            _logger.exception("influencegen_signals: could not take the client address from X-Forwarded-For")
        return original(self, environ, start_response)

    setattr(__call__, _PATCHED_ATTRIBUTE, True)
    __call__.__doc__ = original.__doc__
    application_class.__call__ = __call__
    return True
