"""Đào tạo, bồi dưỡng: courses, sessions, attendance, tests, certificates, materials and the
training gap per agency and role (issue 15)."""
