"""The vault: envelope encryption of customers' personal data (issue 14, first part).

A master key never leaves its key provider (a key file or secret, or a PKCS#11 hardware
security module); it only wraps and unwraps each tenant's data keys (`providers.py`,
`local_key.py`, `hsm.py`). A data key seals field values with AES-256-GCM bound to where the
value lives, and derives the tenant's blind-index key for equality lookups without the clear
value (`envelope.py`). `configured.py` builds the providers the settings name; the wrapped
data keys are stored by `service/tenant_keys.py`. Sealing fields in the tables comes next.
"""
