"""Bảng điều hành: the province's indices (DTI, PAR INDEX, SIPAS, PAPI, PCI) by year and the leaders' dashboards (issue 14)."""
