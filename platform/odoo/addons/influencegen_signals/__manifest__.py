{
    "name": "InfluenceGen signals",
    "summary": "Writes the JSON log lines the InfluenceGen alarms count (failed logins, n8n and KYC calls, payments)",
    "description": """
One JSON object per line on standard output for each failed login (with whether the account is an
administrator), each outbound HTTP call to n8n or the KYC provider, and each payment transaction
that reaches done or error. CloudWatch metric filters and a Contributor Insights rule of the
InfluenceGen control plane read these lines; see docs/alerting.md.
""",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "author": "InfluenceGen platform team",
    "license": "LGPL-3",
    "depends": ["base", "payment"],
    "data": [],
    # Wraps requests.Session.send and odoo.http.Application.__call__ (the client address behind
    # the ALB) once per server process, when the module is loaded.
    "post_load": "post_load",
    "installable": True,
    "application": False,
    "auto_install": False,
}
