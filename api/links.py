"""OpenAPI links (OpenAPI 3.1, Link Object): how a value in one answer feeds the next call. They
document the API's flows for a client — find a procedure, read it, submit a dossier for it, follow
and withdraw that dossier — and let a stateful tester (schemathesis) walk the same flows."""

from __future__ import annotations

from typing import Any

_CODE = "$response.body#/code"
_DOSSIER_FLOWS = {
    "GetDossier": {"operationId": "getDossier", "parameters": {"code": _CODE},
                   "description": "Đọc hồ sơ vừa nộp · read the dossier just submitted"},
    "WithdrawDossier": {"operationId": "withdrawDossier", "parameters": {"code": _CODE},
                        "description": "Rút hồ sơ · withdraw it"},
    "AnswerSupplement": {"operationId": "answerSupplement", "parameters": {"code": _CODE},
                         "description": "Bổ sung hồ sơ khi được yêu cầu · answer a supplement request"},
    "TrackDossier": {"operationId": "lookupDossier", "parameters": {"code": _CODE},
                     "description": "Tra cứu công khai · the public tracking page's data"},
}

# (operationId, status) -> the links of that answer.
LINKS: dict[tuple[str, int], dict[str, dict[str, Any]]] = {
    ("searchProcedures", 200): {
        "GetProcedure": {"operationId": "getProcedure", "parameters": {"code": "$response.body#/items/0/code"},
                         "description": "Chi tiết thủ tục đầu tiên · the first procedure found"},
    },
    ("getProcedure", 200): {
        "SubmitDossier": {"operationId": "submitDossier",
                          "requestBody": {"procedure": _CODE, "agency": "$response.body#/agencies/0/code"},
                          "description": "Nộp hồ sơ cho thủ tục này tại cơ quan đầu tiên · submit a dossier for "
                                         "this procedure to its first agency"},
    },
    ("submitDossier", 201): _DOSSIER_FLOWS,
    ("submitDossier", 200): _DOSSIER_FLOWS,
    ("listDossiers", 200): {
        "GetDossier": {"operationId": "getDossier", "parameters": {"code": "$response.body#/items/0/code"},
                       "description": "Hồ sơ mới nhất · the newest dossier"},
    },
    ("getDossier", 200): {
        "DownloadFile": {"operationId": "downloadDossierFile",
                         "parameters": {"code": _CODE, "file_id": "$response.body#/files/0/id"},
                         "description": "Tải tệp đầu tiên · download its first file"},
    },
    ("listDocuments", 200): {
        "GetDocument": {"operationId": "getDocument", "parameters": {"document_id": "$response.body#/items/0/id"},
                        "description": "Văn bản đầu tiên · the first document"},
    },
    ("listTasks", 200): {
        "GetTask": {"operationId": "getTask", "parameters": {"task_id": "$response.body#/items/0/id"},
                    "description": "Công việc đầu tiên · the first task"},
    },
}


def add_links(schema: dict[str, Any]) -> None:
    """Put each answer's links into the generated document (operations not present are left out)."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                links = LINKS.get((operation.get("operationId", ""), int(status)))
                if links:
                    response["links"] = {name: dict(link) for name, link in links.items()}
