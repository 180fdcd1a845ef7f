"""Demo data of the indices: the Decision 766 tree (also loaded by the migration) and the roll-ups of every
demo dossier, so that the page has figures at once. Idempotent."""


def load_demo() -> None:
    import io

    from django.core.management import call_command

    from .catalog import load

    load()
    call_command("indices_rebuild", stdout=io.StringIO())
