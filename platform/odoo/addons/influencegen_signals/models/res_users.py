import logging

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessDenied
from odoo.http import request

from .. import signal_log

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    @classmethod
    def _login(cls, db, credential, user_agent_env):
        """Odoo 18's ``res.users._login`` logs ``Login failed for db:%s login:%s from %s`` (INFO,
        odoo.addons.base.models.res_users) and re-raises AccessDenied; this hook sits on the same
        failure and writes the ``login_failed`` signal with the account kind Odoo's line lacks.
        Cooldown refusals (``_assert_can_auth``) raise AccessDenied inside ``_login`` too, so they
        count as failed attempts, as they are.
        """
        try:
            return super()._login(db, credential, user_agent_env)
        except AccessDenied:
            cls._influencegen_signal_login_failed(db, credential)
            raise

    @classmethod
    def _influencegen_signal_login_failed(cls, db, credential):
        login = credential.get("login") if isinstance(credential, dict) else None
        # The address Odoo's own line shows: the client's, which client_address.py puts in REMOTE_ADDR
        # from the ALB's X-Forwarded-For entry (Odoo 18 alone would leave the ALB node's there).
        ip = request.httprequest.environ.get("REMOTE_ADDR", "n/a") if request else "n/a"
        try:
            with cls.pool.cursor() as cr:
                users = api.Environment(cr, SUPERUSER_ID, {})["res.users"]
                account = users._influencegen_account_kind(login)
        except Exception:
            # A signal must never turn a failed login into a server error.
            _logger.exception("influencegen_signals: could not classify the failed login")
            account = "unknown"
        signal_log.emit(signal_log.login_failed_fields(db, login, ip, account))

    @api.model
    def _influencegen_account_kind(self, login):
        """``admin`` is Odoo's own definition, ``res.users._is_admin()``: the superuser or a member
        of Administration / Access Rights (base.group_erp_manager, which Settings implies).
        Archived accounts count: an attacker does not know they are archived.
        """
        if not login:
            return "unknown"
        user = self.with_context(active_test=False).search(self._get_login_domain(login), limit=1)
        if not user:
            return "unknown"
        return "admin" if user._is_admin() else "user"
