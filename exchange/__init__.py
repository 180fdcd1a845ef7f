"""Liên thông văn bản: edXML packages between agencies (QCVN 102:2016), their status messages, the
axis adapter and the outbox that delivers them (issue 12, ADR 0031)."""
