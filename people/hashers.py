"""Password hashing at the cost OWASP recommends first for Argon2id."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with m = 19 MiB, t = 2, p = 1.

    Django's own Argon2 hasher uses m = 100 MiB, t = 2, p = 8; this one spends less memory per
    check, so a room of 240 companions logging in at once does not exhaust a small server.
    Hashes keep the "argon2" name and carry their parameters, so a hash made with other
    parameters is still checked, and `must_update` rehashes it at the next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
