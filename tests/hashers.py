"""The password hasher of the test suite: Argon2id like production (``egov.settings``), at a cost
lowered for tests. Production's cost (Django's Argon2 defaults, about 135 ms a check on the CI
machine) paid at each of the suite's sign-ins took minutes of every run; what the tests check
(the algorithm, the stored format, rehashing on a change of cost) does not depend on the cost."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024  # KiB
    parallelism = 1
