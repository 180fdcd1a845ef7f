"""Hồ sơ công việc and the agency archive: yearly file lists, files, retention, transfer."""
