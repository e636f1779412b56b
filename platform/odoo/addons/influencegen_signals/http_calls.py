"""Signals for Odoo's outbound HTTP calls to n8n and to the KYC provider.

Odoo and its addons call HTTP services through ``requests``; every request, whichever helper made
it (``requests.post``, a ``Session``, a provider SDK built on ``requests``), goes through
``requests.Session.send``. That method is wrapped once per process: a call to a host listed in
``INFLUENCEGEN_SIGNALS_N8N_HOSTS`` writes an ``n8n_api_call`` line, one to a host in
``INFLUENCEGEN_SIGNALS_KYC_HOSTS`` a ``kyc_call`` line; other calls are untouched.

What it cannot see: calls made without ``requests`` (``urllib``, ``httpx``, a subprocess), and the
business meaning of a 2xx answer (a KYC "rejected" decision returned with 200 is a success here).
Each redirect hop is its own ``send``, so a redirected call writes one line per hop.
"""

import time

from . import signal_log

_PATCHED_ATTRIBUTE = "_influencegen_signals_wrapped"


def install(hosts=None):
    """Wraps ``requests.Session.send``; a second call does nothing. Returns whether it wrapped."""
    import requests

    original = requests.Session.send
    if getattr(original, _PATCHED_ATTRIBUTE, False):
        return False
    hosts = signal_log.hosts_from_environment() if hosts is None else hosts

    def send(session, request, **kwargs):
        event = signal_log.classify_call(request.url, hosts)
        if event is None:
            return original(session, request, **kwargs)
        started = time.monotonic()
        try:
            response = original(session, request, **kwargs)
        except Exception as error:
            elapsed = (time.monotonic() - started) * 1000
            signal_log.emit(
                signal_log.http_call_fields(
                    event, request.method, request.url, None, elapsed, type(error).__name__
                )
            )
            raise
        elapsed = (time.monotonic() - started) * 1000
        signal_log.emit(
            signal_log.http_call_fields(event, request.method, request.url, response.status_code, elapsed)
        )
        return response

    setattr(send, _PATCHED_ATTRIBUTE, True)
    requests.Session.send = send
    return True
