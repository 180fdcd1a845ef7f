"""Mức độ hài lòng và phản ánh, kiến nghị: citizens rate the service by the official criteria and send feedback or complaints, routed and answered within a time limit (issue 14)."""
