"""The signal lines InfluenceGen's alarms read from the Odoo log, and the handler that writes them.

Pure Python (standard library only, no ``odoo`` import) so that the control plane's tests run it
with a plain ``python3`` and match the CloudWatch metric filters against what it really prints.

Every signal is one JSON object on one line of the process's standard output, written by its own
logging handler on the ``influencegen.signals`` logger with ``propagate = False``: Odoo's own
handler (text format, on standard error) never sees these records, so the CloudWatch log event is
the JSON object and nothing else, which JSON filter patterns (``{ $.event = "..." }``) and
Contributor Insights rules (``"LogFormat": "JSON"``) need. A line is one ``write`` well under
PIPE_BUF, so lines of concurrent prefork workers sharing the container's stdout do not interleave.
"""

import json
import logging
import os
import sys
from urllib.parse import urlsplit

LOGGER_NAME = "influencegen.signals"

# Outbound HTTP calls are classified by destination host. The Odoo task sets the hosts, comma
# separated, e.g. INFLUENCEGEN_SIGNALS_N8N_HOSTS=n8n.prod.influencegen.internal.
HOST_ENVIRONMENT = {
    "n8n_api_call": "INFLUENCEGEN_SIGNALS_N8N_HOSTS",
    "kyc_call": "INFLUENCEGEN_SIGNALS_KYC_HOSTS",
}

# What the Contributor Insights rule of Admin_Account_Multiple_Failed_Logins keys on: a login that
# belongs to an administrator, to another user, or to nobody (password spraying).
ACCOUNT_KINDS = ("admin", "user", "unknown")

# Attacker-chosen text (a login) is cut so that one line stays one small write.
MAX_TEXT = 200


class JsonLineFormatter(logging.Formatter):
    """Formats a record whose ``signal`` attribute is a dict as that dict, compact JSON."""

    def format(self, record):
        return json.dumps(record.signal, separators=(",", ":"), ensure_ascii=True)


def signal_logger(stream=None):
    """The signals logger, with its stdout handler added once per process."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = logging.StreamHandler(stream if stream is not None else sys.stdout)
        handler.setFormatter(JsonLineFormatter())
        logger.addHandler(handler)
        # Its own level: Odoo's --log-level and --log-handler settings name other loggers.
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def emit(fields):
    """Writes one signal line. ``fields`` must hold ``event``; it is written first."""
    if "event" not in fields:
        raise ValueError("a signal needs an event")
    signal = {"event": fields["event"], **{k: v for k, v in fields.items() if k != "event"}}
    signal_logger().info(signal["event"], extra={"signal": signal})


def _text(value):
    text = "" if value is None else str(value)
    return text[:MAX_TEXT]


def hosts_from_environment(environ=None):
    """{event: frozenset of lower-case host names} from the INFLUENCEGEN_SIGNALS_*_HOSTS variables.

    n8n's host is also taken from ``N8N_URL``, the address the Odoo task already gives Odoo for n8n.
    """
    environ = os.environ if environ is None else environ
    hosts = {}
    for event, variable in HOST_ENVIRONMENT.items():
        names = [name.strip().lower() for name in environ.get(variable, "").split(",")]
        if event == "n8n_api_call" and environ.get("N8N_URL"):
            names.append((urlsplit(environ["N8N_URL"]).hostname or "").lower())
        hosts[event] = frozenset(name for name in names if name)
    return hosts


def classify_call(url, hosts):
    """The signal event of a call to ``url`` (``n8n_api_call``, ``kyc_call``), or None."""
    host = (urlsplit(url).hostname or "").lower()
    for event, names in hosts.items():
        if host in names:
            return event
    return None


def http_call_fields(event, method, url, status, duration_ms, error=None):
    """One outbound call: ``outcome`` is ``error`` when no response came back or its status is 4xx/5xx.

    The path is kept (it names the n8n webhook or the provider endpoint); the query string is not,
    since it may carry tokens or personal data.
    """
    parts = urlsplit(url)
    failed = error is not None or status is None or status >= 400
    fields = {
        "event": event,
        "method": _text(method).upper(),
        "host": (parts.hostname or "").lower(),
        "path": _text(parts.path or "/"),
        "status": status,
        "duration_ms": int(round(duration_ms)),
        "outcome": "error" if failed else "ok",
    }
    if error is not None:
        fields["error"] = _text(error)
    return fields


def login_failed_fields(db, login, ip, account):
    """A failed Odoo login (the same attempt Odoo logs as ``Login failed for db:... login:... from ...``)."""
    if account not in ACCOUNT_KINDS:
        raise ValueError(f"account must be one of {ACCOUNT_KINDS}, not {account!r}")
    return {
        "event": "login_failed",
        "db": _text(db),
        "login": _text(login),
        "account": account,
        "ip": _text(ip),
    }


def payment_fields(reference, provider, operation, state):
    """A payment transaction that reached ``done`` (outcome ok) or ``error`` (outcome error)."""
    if state not in ("done", "error"):
        raise ValueError(f"state must be done or error, not {state!r}")
    return {
        "event": "payment_processed",
        "reference": _text(reference),
        "provider": _text(provider),
        "operation": _text(operation),
        "state": state,
        "outcome": "ok" if state == "done" else "error",
    }
