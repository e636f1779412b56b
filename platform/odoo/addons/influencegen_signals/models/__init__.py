from . import payment_transaction
from . import res_users
