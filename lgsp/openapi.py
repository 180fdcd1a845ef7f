"""The OpenAPI 3.1 document of ``/dmdc`` (the shared categories) and of the token endpoint, for the
developer portal and for client systems' tools."""

from __future__ import annotations

from typing import Any

from .categories import CATEGORIES
from .scopes import SCOPES

ERROR = {"type": "object", "required": ["status", "errorCode", "message"], "properties": {
    "status": {"type": "integer", "enum": [0]},
    "errorCode": {"type": "integer", "description": "100 xác thực · authentication; 101 địa chỉ IP không được phép · "
                  "address not allowed; 103 chưa được cấp dịch vụ · service not granted; 404 không có danh mục · "
                  "unknown category; 429 quá hạn mức · quota; 500 dữ liệu không đúng · data incorrect"},
    "message": {"type": "string"}}}


def _error(description: str, retry: bool = False) -> dict:
    response: dict = {"description": description,
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if retry:
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                               "description": "Số giây chờ · seconds to wait"}}
    return response


COMMON = {
    "401": _error("Thiếu, sai hoặc hết hạn mã truy cập; hệ thống bị tạm dừng (100) · bad token or stopped client"),
    "403": _error("Không được cấp dịch vụ (103) hoặc địa chỉ không được phép (101) · scope or address refused"),
    "404": _error("Không có danh mục · unknown category"),
    "429": _error("Quá hạn mức gọi · quota reached", retry=True),
}
CATEGORY_PARAM = {"name": "category", "in": "path", "required": True,
                  "schema": {"type": "string", "enum": list(CATEGORIES)}}


def dmdc_openapi(server: str) -> dict:
    ok: dict[str, Any] = {"type": "object", "properties": {"status": {"type": "integer", "enum": [1]}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "LGSP – Danh mục dùng chung · shared categories", "version": "1.0.0",
                 "description": "Danh mục dùng chung của tỉnh, theo cách của các nền tảng LGSP: "
                                "/dmdc/Metadata/<danh mục> (trường và kiểu) và /dmdc/Category/<danh mục> "
                                "(GET các dòng; POST thêm dòng, trùng mã bị từ chối và được đếm). Mã truy cập: "
                                "OAuth 2.0 client credentials tại /lgsp/oauth/token/."},
        "servers": [{"url": server}],
        "components": {
            "securitySchemes": {"lgsp": {"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": f"{server}/lgsp/oauth/token/", "scopes": {k: str(v) for k, v in SCOPES.items()}}}}},
            "schemas": {"Error": ERROR},
        },
        "paths": {
            "/dmdc/Metadata/{category}": {"get": {
                "operationId": "getCategoryMetadata", "summary": "Các trường và kiểu của danh mục · fields and types",
                "security": [{"lgsp": ["dmdc.read"]}], "parameters": [CATEGORY_PARAM],
                "responses": {"200": {"description": "Trường của danh mục · fields", "content": {
                    "application/json": {"schema": {**ok, "properties": {
                        **ok["properties"], "category": {"type": "string"}, "version": {"type": "integer"},
                        "writable": {"type": "boolean"},
                        "fields": {"type": "array", "items": {"type": "object", "properties": {
                            "name": {"type": "string"}, "type": {"type": "string"},
                            "description": {"type": "string"}}}}}}}}}, **COMMON}}},
            "/dmdc/Category/{category}": {
                "get": {"operationId": "getCategoryRows", "summary": "Các dòng của danh mục · rows",
                        "security": [{"lgsp": ["dmdc.read"]}],
                        "parameters": [CATEGORY_PARAM, {"name": "lichSu", "in": "query", "required": False,
                                                        "description": "1: cả các dòng đã hết hiệu lực · with history",
                                                        "schema": {"type": "string", "enum": ["1"]}}],
                        "responses": {"200": {"description": "Các dòng · rows", "content": {"application/json": {
                            "schema": {**ok, "properties": {**ok["properties"], "version": {"type": "integer"},
                                                            "total": {"type": "integer"},
                                                            "data": {"type": "array", "items": {"type": "object"}}}}}}},
                                      **COMMON}},
                "post": {"operationId": "addCategoryRows", "summary": "Thêm dòng · add rows",
                         "security": [{"lgsp": ["dmdc.write"]}], "parameters": [CATEGORY_PARAM],
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "type": "object", "required": ["data"], "properties": {"data": {
                                 "type": "array", "maxItems": 1000, "items": {
                                     "type": "object", "required": ["ma", "ten"],
                                     "properties": {"ma": {"type": "string"}, "ten": {"type": "string"}}}}}}}}},
                         "responses": {"200": {"description": "Đã thêm; trùng mã bị từ chối · added, duplicates "
                                                              "refused", "content": {"application/json": {"schema": {
                                                                  **ok, "properties": {
                                                                      **ok["properties"], "added": {"type": "integer"},
                                                                      "duplicates": {"type": "integer"},
                                                                      "duplicateCodes": {"type": "array",
                                                                                         "items": {"type": "string"}},
                                                                      "message": {"type": "string"}}}}}},
                                       "400": _error("Dữ liệu không đúng (500) · data incorrect"), **COMMON}},
            },
        },
    }
