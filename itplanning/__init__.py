"""Kế hoạch ứng dụng CNTT: five-year and yearly IT plans, projects and recurrent spending, the
inventory of IT assets and contracts with expiry alerts (issue 15)."""
