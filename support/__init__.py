"""Hỗ trợ người dân: the help centre (guides per procedure, FAQ), support requests, announcements
and opt-in campaigns (issue 15)."""
