"""Đánh giá, công nhận: e-agency criteria and recognition, and the assessment of officials' task completion with the platform's figures as evidence (issue 14)."""
