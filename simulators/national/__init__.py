"""Local simulators of the national systems the province connects to through the NGSP (issue 13).

Each system runs as its own process (``python -m simulators.national.<system>``) built on
``simulators.national.core``: stdlib HTTP, its own SQLite file, a bearer secret. They stand in for
systems outside the province; the platform's adapters (``national``) speak to them as they would to
the real ones."""
