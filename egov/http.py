"""Responses shared by the apps."""

from django.http import FileResponse


def private_file(fieldfile, *, content_type: str, filename: str, attachment: bool = True) -> FileResponse:
    """A stored file served after the caller's permission check, never kept by any cache."""
    response = FileResponse(fieldfile.open("rb"), content_type=content_type, as_attachment=attachment,
                            filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def slip_filename(slip) -> str:
    return f"{slip.dossier.code}-mau-{slip.form}.pdf"
