"""Kiến trúc chính quyền điện tử: the province's architecture (framework v3.0) as a living model,
partly generated from the platform's own configuration, exported with diagrams (issue 15)."""
