"""Vietnamese formats (FORMAT_MODULE_PATH): dates as people write them, dd/mm/yyyy.

Django's own "vi" formats show "Ngày 05 tháng 3 năm 2025" and "05-03-2025"; forms and pages
show 05/03/2025 and accept a date typed that way. ISO comes first among the input formats: a
``<input type="date">`` is given and sends yyyy-mm-dd whatever the reader's language.
Documents that spell the date out (results, slips) format it themselves.
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M:%S",
                          "%d/%m/%Y %H:%M", "%H:%M %d/%m/%Y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
