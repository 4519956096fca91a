"""Password hashing for the test suite: Argon2 through the same code paths, at its cheapest cost."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    # Production cost takes a good part of a second per check; the suite signs in hundreds of times.
    time_cost = 1
    memory_cost = 8
    parallelism = 1
