from odoo import models

from .. import signal_log


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _set_done(self, *args, **kwargs):
        """Odoo 18's ``_set_done`` returns the transactions it moved to ``done``; only those count."""
        transactions = super()._set_done(*args, **kwargs)
        transactions._influencegen_signal_processed("done")
        return transactions

    def _set_error(self, *args, **kwargs):
        """Likewise for ``error``. Cancellations (``_set_canceled``) are the payer's choice, not failures."""
        transactions = super()._set_error(*args, **kwargs)
        transactions._influencegen_signal_processed("error")
        return transactions

    def _influencegen_signal_processed(self, state):
        lines = [
            signal_log.payment_fields(tx.reference, tx.provider_code, tx.operation, state) for tx in self
        ]
        if not lines:
            return

        def write_lines():
            for line in lines:
                signal_log.emit(line)

        # Written after the commit: a state change rolled back with its request never happened.
        self.env.cr.postcommit.add(write_lines)
