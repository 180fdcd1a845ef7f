"""Quản lý công việc: tasks, progress, extensions and the weekly work schedule."""
